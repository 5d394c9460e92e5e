// The decoders run at every syscall stop of a traced program: they must stay cheap next to the
// ptrace stops themselves (~10 µs each on these machines).
import Foundation
import Testing
@testable import Syscalls

@Suite struct CostTests {
    @Test func decodingAndRenderingAreCheap() {
        let memory = FakeMemory()
        let start = Date()
        var total = 0
        for index in 0..<20_000 {
            let getppid = decode(110, [], returns: 1, memory: memory)
            let mmap = decode(9, [0, 4096, 3, 0x22, UInt64.max, 0], returns: 0x7f0000000000 + Int64(index) * 4096, memory: memory)
            let munmap = decode(11, [0x7f0000000000, 4096], returns: 0, memory: memory)
            total += line(getppid).utf8.count + line(mmap).utf8.count + line(munmap).utf8.count
        }
        let perCall = Date().timeIntervalSince(start) / 60_000
        print("decode+render: \(Int(perCall * 1e9)) ns per call (debug build)")
        #expect(total > 0)
        #expect(perCall < 50e-6, "decoding a call took \(perCall * 1e6) µs")
    }
}
