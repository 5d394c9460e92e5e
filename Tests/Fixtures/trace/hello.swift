// A Swift program: its runtime makes hundreds of calls before `main`; the marker hides them.
let numbers = Array(repeating: 7, count: 100_000)
print(numbers.count)
