// How a traced C library call prints, from its registers (the tracer's library-call events).

import Testing
import Syscalls

@Suite struct LibraryCallDecoderTests {
    func text(_ function: String, _ arguments: [UInt64], _ result: UInt64?, returned: Bool = true) -> String {
        LibraryCallDecoder.event(function: function, arguments: arguments, returnValue: result, returned: returned,
                                 returnAddress: 0x401234).text
    }

    @Test func allocatorCalls() {
        #expect(text("malloc", [5000], 0x5555_5555_92a0) == "malloc(5000) = 0x5555555592a0")
        #expect(text("calloc", [3, 16], 0) == "calloc(3, 16) = NULL")
        #expect(text("realloc", [0, 100], 0x5555_5555_92a0) == "realloc(NULL, 100) = 0x5555555592a0")
        #expect(text("free", [0x5555_5555_92a0], nil) == "free(0x5555555592a0)")
        #expect(text("mallopt", [UInt64(bitPattern: -3), 4096], 1) == "mallopt(M_MMAP_THRESHOLD, 4096) = 1")
        #expect(text("sbrk", [4096], 0x5555_5555_9000) == "sbrk(4096) = 0x555555559000")
        #expect(text("sbrk", [4096], UInt64.max) == "sbrk(4096) = -1")
    }

    @Test func mmapPrintsAsTheSyscallDoes() {
        #expect(text("mmap", [0, 4096, 3, 0x22, UInt64.max, 0], 0x7fff_f7fb_f000)
                == "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbf000")
        #expect(text("munmap", [0x7fff_f7fb_f000, 4096], 0) == "munmap(0x7ffff7fbf000, 4096) = 0")
    }

    @Test func aCallThatNeverReturned() {
        let event = LibraryCallDecoder.event(function: "malloc", arguments: [16], returnValue: nil, returned: false,
                                             returnAddress: 0x401234)
        #expect(event.text == "malloc(16) = ?")
        #expect(!event.returned)
    }
}
