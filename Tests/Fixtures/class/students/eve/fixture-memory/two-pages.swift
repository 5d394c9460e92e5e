// Written in Swift, but this exercise accepts C only.
print("two pages")
