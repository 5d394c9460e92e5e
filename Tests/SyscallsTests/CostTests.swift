// The decoders run at every syscall stop of a traced program: they must stay cheap next to the
// ptrace stops themselves (~10 µs each on these machines).
import Foundation
import Testing
@testable import Syscalls

@Suite struct CostTests {
    @Test func decodingAndRenderingAreCheap() {
        let memory = FakeMemory()
        // CPU time of this thread, not wall time: on a loaded 2-core machine (CI, or the other
        // tests running in parallel) the thread waits for a core, and wall time measured that
        // wait, not the decoders (17 µs idle, 26 µs with two busy loops beside the suite).
        let start = threadCPUSeconds()
        var total = 0
        for index in 0..<20_000 {
            let getppid = decode(Nr.getppid, [], returns: 1, memory: memory)
            let mmap = decode(Nr.mmap, [0, 4096, 3, 0x22, UInt64.max, 0], returns: 0x7f0000000000 + Int64(index) * 4096, memory: memory)
            let munmap = decode(Nr.munmap, [0x7f0000000000, 4096], returns: 0, memory: memory)
            total += line(getppid).utf8.count + line(mmap).utf8.count + line(munmap).utf8.count
        }
        let perCall = (threadCPUSeconds() - start) / 60_000
        print("decode+render: \(Int(perCall * 1e9)) ns of CPU per call (debug build)")
        #expect(total > 0)
        #expect(perCall < 50e-6, "decoding a call took \(perCall * 1e6) µs of CPU")
    }
}

/// The CPU time (user + system) the calling thread has used, in seconds.
private func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
