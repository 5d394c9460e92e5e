// The decoders run at every syscall stop of a traced program: they must stay cheap next to the
// ptrace stop itself. Run by scripts/bench-decoders.sh (LESSONS_BENCH_DECODERS=1), which sets
// the figure printed here beside a ptrace stop's cost measured in the same run. Without the
// variable it does nothing: time is not asserted inside the suite.
import Foundation
import Testing
@testable import Syscalls

@Test func decoderCostBenchmark() {
    guard ProcessInfo.processInfo.environment["LESSONS_BENCH_DECODERS"] == "1" else { return }
    let memory = FakeMemory()
    func round() -> Double {
        // CPU time of this thread, not wall time: on a loaded machine the thread waits for a
        // core, and wall time would measure that wait, not the decoders.
        let start = threadCPUSeconds()
        var total = 0
        for index in 0..<20_000 {
            let getppid = decode(Nr.getppid, [], returns: 1, memory: memory)
            let mmap = decode(Nr.mmap, [0, 4096, 3, 0x22, UInt64.max, 0], returns: 0x7f0000000000 + Int64(index) * 4096, memory: memory)
            let munmap = decode(Nr.munmap, [0x7f0000000000, 4096], returns: 0, memory: memory)
            total += line(getppid).utf8.count + line(mmap).utf8.count + line(munmap).utf8.count
        }
        #expect(total > 0)
        return (threadCPUSeconds() - start) / 60_000
    }
    let perCall = (0..<3).map { _ in round() }.min()!
    print(String(format: "bench-decoders: decode+render %.0f ns of CPU per call (debug build, best of 3)", perCall * 1e9))
}

/// The CPU time (user + system) the calling thread has used, in seconds.
private func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
