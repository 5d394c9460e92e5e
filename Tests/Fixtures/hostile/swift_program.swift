// Not hostile: a Swift program must run in the sandbox (its runtime is readable, the address
// space cap leaves room for it), and a force-unwrap of nil must end as a crash (SIGILL or SIGTRAP).
var numbers: [Int] = []
for i in 0..<100_000 { numbers.append(i) }
print("sum \(numbers.reduce(0, +))")
if CommandLine.arguments.count > 1 {
    let missing: Int? = nil
    print(missing!)
}
