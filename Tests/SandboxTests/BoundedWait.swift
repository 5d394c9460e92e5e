// Every child a test starts ends within a deadline: a stuck one is killed and the test fails
// with a message; it never hangs the suite.
import Foundation
import Sandbox

/// Waits for `process` up to `seconds`; past that SIGKILLs it and throws.
func waitBounded(_ process: Process, seconds: Double, _ what: String) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        let grace = Date().addingTimeInterval(10)
        while process.isRunning && Date() < grace { usleep(20_000) }
        throw SandboxError("\(what) did not finish within \(Int(seconds)) s; killed it")
    }
    process.waitUntilExit()  // already ended: Process's own bookkeeping only
}
