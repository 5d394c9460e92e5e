// The memory picture from hand-built runs: the model (what it worked out) and the drawing
// (snapshots in Snapshots/, re-recorded with LESSONS_RECORD_SNAPSHOTS=1 swift test).

import Foundation
import Testing
@testable import MemoryPicture
import EventBuilder
import Syscalls

/// Builds a run event by event, like the tracer would record it (through its decoders).
struct RunBuilder {
    var events: [TraceEvent] = []
    var pid: Int32 = 4242
    var phase: Phase = .startup

    mutating func call(_ number: Int, _ args: [UInt64], _ ret: Int64?, data: [UInt8]? = nil, pid: Int32? = nil) {
        events.append(TraceEvent(sequence: events.count, pid: pid ?? self.pid, phase: phase,
                                 kind: .syscall(EventBuilder.call(number: number, args, ret, data: data))))
    }

    mutating func brk(_ addr: UInt64, _ ret: UInt64) {
        call(Nr.brk, [addr], Int64(bitPattern: ret))
    }

    mutating func mmap(_ length: UInt64, prot: UInt64 = 3, flags: UInt64 = 0x22, fd: Int64 = -1, ret: Int64, pid: Int32? = nil) {
        call(Nr.mmap, [0, length, prot, flags, UInt64(bitPattern: fd), 0], ret, pid: pid)
    }

    mutating func munmap(_ addr: UInt64, _ length: UInt64) {
        call(Nr.munmap, [addr, length], 0)
    }

    mutating func segv(_ address: UInt64, code: Int32) {
        events.append(TraceEvent(sequence: events.count, pid: pid, phase: phase,
                                 kind: .signal(EventBuilder.signal(11, code: code, address: address))))
    }

    mutating func main() { phase = .program }

    func run(stdout: String = "", exit: ProcessExit = .exited(status: 0)) -> ProgramRun {
        var events = self.events
        events.append(TraceEvent(sequence: events.count, pid: pid, phase: phase, kind: .exit(exit)))
        return ProgramRun(events: events, rootPid: pid, exit: exit, stdout: Array(stdout.utf8))
    }
}

let heapBase: UInt64 = 0x5555_5555_9000

/// C, five malloc(5000): the first malloc after main grows the heap once by 0x21000.
func fiveSmallChunks() -> ProgramRun {
    var b = RunBuilder()
    b.brk(0, heapBase)
    b.main()
    b.call(Nr.getrandom, [0x7fff_ffff_e000, 8, 1], 8, data: [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0])
    b.brk(0, heapBase)
    b.brk(heapBase + 0x21000, heapBase + 0x21000)
    var out = ""
    for i in 0..<5 { out += "got 0x" + String(heapBase + 0x2a0 + UInt64(i) * 5008, radix: 16) + "\n" }
    b.call(Nr.write, [1, 0x5555_5555_a2a0, UInt64(out.utf8.count)], Int64(out.utf8.count), data: Array(out.utf8))
    return b.run(stdout: out)
}

let mapTop: UInt64 = 0x7fff_f7fa_1000

/// C, five malloc(200*1024): five 208896-byte mappings, each just below the previous one;
/// stdout's buffer grows the heap once.
func fiveBigChunks() -> ProgramRun {
    var b = RunBuilder()
    b.brk(0, heapBase)
    b.main()
    var out = ""
    for i in 1...5 {
        let start = mapTop - UInt64(i) * 208896
        b.mmap(208896, ret: Int64(start))
        if i == 1 { b.brk(0, heapBase); b.brk(heapBase + 0x21000, heapBase + 0x21000) }
        out += "got 0x" + String(start + 0x10, radix: 16) + "\n"
    }
    return b.run(stdout: out)
}

func readOnlyWrite() -> ProgramRun {
    var b = RunBuilder()
    b.brk(0, heapBase)
    b.main()
    let page: UInt64 = 0x7fff_f7ff_8000
    b.mmap(4096, prot: 1, ret: Int64(page))
    b.segv(page, code: 2)
    return b.run(exit: .killed(signal: 11, coreDumped: false))
}

func freeReturns() -> ProgramRun {
    var b = RunBuilder()
    b.brk(0, heapBase)
    b.main()
    let start: UInt64 = 0x7fff_f7e9_f000
    b.mmap(1052672, ret: Int64(start))
    b.munmap(start, 1052672)
    b.brk(0, heapBase)
    b.brk(heapBase + 0x21000, heapBase + 0x21000)
    return b.run(stdout: "done\n")
}

func handleFailure() -> ProgramRun {
    var b = RunBuilder()
    b.brk(0, heapBase)
    b.main()
    b.mmap(70_368_744_181_760, ret: -12)
    b.brk(0, heapBase)
    b.brk(heapBase + 70_368_744_312_832, heapBase)
    b.mmap(70_368_744_312_832, ret: -12)
    return b.run(exit: .exited(status: 1))
}

func nullPointer() -> ProgramRun {
    var b = RunBuilder()
    b.main()
    b.segv(0, code: 1)
    return b.run(exit: .killed(signal: 11, coreDumped: false))
}

func sharedFork() -> ProgramRun {
    var b = RunBuilder()
    b.brk(0, heapBase)
    b.main()
    let page: UInt64 = 0x7fff_f7ff_8000
    b.mmap(4096, flags: 0x21, ret: Int64(page))
    b.events.append(TraceEvent(sequence: b.events.count, pid: 4242, phase: .program, kind: .spawned(child: 4243, isThread: false)))
    b.mmap(8192, ret: Int64(page - 0x2000), pid: 4243)
    return b.run(stdout: "hello from child\n")
}

// MARK: - Snapshots

func snapshot(_ name: String, _ text: String, sourceFile: String = #filePath) throws {
    let directory = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["LESSONS_RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    // A missing snapshot fails: recording it here would pass a test that compared nothing.
    let expected = try #require(try? String(contentsOf: file, encoding: .utf8),
                                "no snapshot \(file.path); record it with LESSONS_RECORD_SNAPSHOTS=1 swift test")
    #expect(text == expected, "snapshot \(name) differs; re-record with LESSONS_RECORD_SNAPSHOTS=1 if the change is intended")
}

let examples: [String: @Sendable () -> ProgramRun] = [
    "five-small-chunks": fiveSmallChunks, "five-big-chunks": fiveBigChunks, "read-only-write": readOnlyWrite,
    "free-returns": freeReturns, "handle-failure": handleFailure, "null-pointer": nullPointer, "shared-fork": sharedFork,
]

@Test(arguments: ["five-small-chunks", "five-big-chunks", "read-only-write", "free-returns", "handle-failure", "null-pointer", "shared-fork"])
func pictureSnapshots(name: String) throws {
    let run = examples[name]!()
    try snapshot(name, MemoryPicture.render(run))
    let plain = MemoryPicture.render(run, style: .init(plain: true))
    try snapshot(name + ".plain", plain)
    #expect(plain.utf8.allSatisfy { $0 < 0x80 }, "--plain output must be ASCII")
}

// MARK: - The model

@Test func smallChunksAreOneBrkGrowthWithEveryPointerInTheHeap() {
    let maps = MemoryMap.maps(of: fiveSmallChunks())
    #expect(maps.count == 1)
    let map = maps[0]
    #expect(map.heapStart == heapBase)
    #expect(map.breakMoves.count == 1)
    #expect(map.breakMoves.first?.from == heapBase)
    #expect(map.breakMoves.first?.to == heapBase + 0x21000)
    #expect(map.mappings.isEmpty)
    #expect(map.pointers.count == 5)
    for pointer in map.pointers {
        guard case .heap = map.place(pointer.address) else {
            Issue.record("pointer \(pointer.address) not placed in the heap")
            continue
        }
    }
    let text = MemoryPicture.render(map)
    #expect(text.contains("all 5 inside the heap"))
    #expect(text.contains("none made after main"))
    #expect(text.contains("the break moved once after main: +135168 B (132 KiB)"))
}

@Test func bigChunksAreFiveMappingsOneEach() {
    let map = MemoryMap.maps(of: fiveBigChunks())[0]
    #expect(map.mappings.count == 5)
    #expect(map.mappings.allSatisfy { $0.length == 208896 && $0.unmappedAt == nil && $0.isAnonymous })
    #expect(map.pointers.count == 5)
    for (i, pointer) in map.pointers.enumerated() {
        #expect(map.place(pointer.address) == .mapping(i + 1, offset: 16))
    }
    let text = MemoryPicture.render(map)
    #expect(text.contains("5 made after main, 5 still mapped at exit (5 × 204 KiB)"))
    #expect(text.contains("one in each of mappings 1, 2, 3, 4, 5"))
    // Adjacent mappings share an edge instead of drawing a gap.
    #expect(text.components(separatedBy: "├").count - 1 == 4)
}

@Test func faultIsPlacedInsideTheReadOnlyMapping() {
    let map = MemoryMap.maps(of: readOnlyWrite())[0]
    #expect(map.faults.count == 1)
    #expect(map.place(map.faults[0].address) == .mapping(1, offset: 0))
    let text = MemoryPicture.render(map)
    #expect(text.contains("SEGV_ACCERR"))
    #expect(text.contains("mapping 1 is PROT_READ only: writing there faults"))
}

@Test func unmappedMappingIsMarkedGone() {
    let map = MemoryMap.maps(of: freeReturns())[0]
    #expect(map.mappings.count == 1)
    #expect(map.mappings[0].unmappedAt == 2)
    #expect(MemoryPicture.render(map).contains("1 made after main, 0 still mapped at exit"))
}

@Test func failedCallsChangeNothing() {
    let map = MemoryMap.maps(of: handleFailure())[0]
    #expect(map.mappings.isEmpty)
    #expect(map.failedCalls.count == 2)
    #expect(map.breakMoves.count == 1)
    #expect(map.breakMoves[0].succeeded == false)
    #expect(map.finalBreak == heapBase)
}

@Test func nullPointerFaultIsExplained() {
    let text = MemoryPicture.render(nullPointer())
    #expect(text.contains("NULL pointer"))
}

@Test func eachProcessGetsItsOwnPicture() {
    let maps = MemoryMap.maps(of: sharedFork())
    #expect(maps.map(\.processID) == [4242, 4243])
    #expect(maps[0].mappings.count == 1)
    #expect(maps[1].mappings.count == 1)
    #expect(maps[0].pointers.isEmpty)
}

@Test func printedPointersAreFoundInOutput() {
    let found = MemoryMap.printedPointers(in: Array("got 0x55d0c0a1e2a0\np=0x7ffd12345678, q=(nil) 0x1f id0x123456\n".utf8))
    #expect(found.map(\.address) == [0x55d0c0a1e2a0, 0x7ffd12345678])
}

@Test func colourOnlyWhenAsked() {
    #expect(!MemoryPicture.render(fiveBigChunks()).contains("\u{1B}["))
    #expect(MemoryPicture.render(fiveBigChunks(), style: .init(color: true)).contains("\u{1B}["))
}

@Test func longTablesAreCut() {
    var b = RunBuilder()
    b.main()
    for i in 0..<50 {
        b.mmap(4096, ret: Int64(mapTop - UInt64(i + 1) * 0x2000))
    }
    let text = MemoryPicture.render(b.run())
    #expect(text.contains("… 30 more"))
    #expect(text.contains("… 34 more regions"))
}

@Test func tablesCanBeLeftOut() {
    let text = MemoryPicture.render(fiveBigChunks(), style: .init(tables: false))
    #expect(text.contains("mapping 5 · 204 KiB"))
    #expect(!text.contains("Mappings made after main"))
    #expect(!text.contains("Moves of the program break"))
}

@Test func partialUnmapsProtectionChangesAndMovesAreFollowed() {
    var b = RunBuilder()
    b.main()
    let a: UInt64 = 0x7fff_f000_0000
    b.mmap(3 * 4096, ret: Int64(a))                       // mapping 1
    b.call(Nr.mprotect, [a, 4096, 0], 0)
    b.munmap(a + 2 * 4096, 4096)                          // the last page only
    b.mmap(4096, ret: Int64(a - 0x10000))                 // mapping 2
    b.call(Nr.mremap, [a - 0x10000, 4096, 8192, 1], Int64(a - 0x20000))
    let map = MemoryMap.maps(of: b.run())[0]
    #expect(map.mappings.count == 3)
    #expect(map.mappings[0].unmappedAt == nil)
    #expect(map.mappings[0].changes.contains { $0.contains("mprotect → ---") })
    #expect(map.mappings[0].changes.contains { $0.contains("munmap removed 4 KiB") })
    #expect(map.mappings[1].unmappedBy?.contains("mremap (moved)") == true)
    #expect(map.mappings[2].start == a - 0x20000 && map.mappings[2].length == 8192)
    #expect(map.mappings[2].changes == ["moved here from mapping 2"])
}

@Test func aFaultInMemoryAlreadyUnmappedSaysSo() {
    var b = RunBuilder()
    b.main()
    let a: UInt64 = 0x7fff_f000_0000
    b.mmap(4096, ret: Int64(a))
    b.munmap(a, 4096)
    b.segv(a + 8, code: 1)
    let text = MemoryPicture.render(b.run(exit: .killed(signal: 11, coreDumped: false)))
    #expect(text.contains("but it was already unmapped (#1 munmap)"))
}

@Test func unmappingARegionInTwoHalvesUnmapsIt() {
    var b = RunBuilder()
    b.main()
    let a: UInt64 = 0x7fff_f000_0000
    b.mmap(2 * 4096, ret: Int64(a))
    b.munmap(a, 4096)
    b.munmap(a + 4096, 4096)
    let map = MemoryMap.maps(of: b.run())[0]
    #expect(map.mappings[0].unmappedAt == 2)
    #expect(map.mappings[0].unmappedBy == "#2 munmap")
    #expect(map.mappings[0].changes == ["#1 munmap removed 4 KiB of it"])
    #expect(map.place(a + 8) == .unmappedMapping(1, offset: 8))
}

@Test func aNewMappingInAHoleDoesNotReplaceWhatWasAlreadyGone() {
    // The kernel reuses the page a partial munmap freed for the next mmap(NULL, …): nothing of
    // mapping 1 is replaced, and no MAP_FIXED was asked for.
    var b = RunBuilder()
    b.main()
    let a: UInt64 = 0x7fff_f000_0000
    b.mmap(4 * 4096, ret: Int64(a))                 // #0, mapping 1: a ..< a+16K
    b.munmap(a, 4096)                                // #1: its first page
    b.mmap(5 * 4096, ret: Int64(a - 4 * 4096))     // #2, mapping 2: a-16K ..< a+4K, over the hole
    let map = MemoryMap.maps(of: b.run())[0]
    #expect(map.mappings[0].unmappedAt == nil)
    #expect(map.mappings[0].changes == ["#1 munmap removed 4 KiB of it"])
    #expect(map.place(a + 8) == .mapping(2, offset: 4 * 4096 + 8))
    #expect(map.place(a + 4096) == .mapping(1, offset: 4096))
    #expect(!MemoryPicture.render(b.run()).contains("MAP_FIXED"))
}

@Test func aFixedMappingOverALivePartSaysMapFixed() {
    var b = RunBuilder()
    b.main()
    let a: UInt64 = 0x7fff_f000_0000
    b.mmap(2 * 4096, ret: Int64(a))
    b.call(Nr.mmap, [a, 4096, 3, 0x32, UInt64(bitPattern: -1), 0], Int64(a))
    let map = MemoryMap.maps(of: b.run())[0]
    #expect(map.mappings[0].changes == ["replaced by #1 mmap(MAP_FIXED) removed 4 KiB of it"])
}

@Test func aFaultInAHoleOfALiveMappingNamesTheMunmap() {
    var b = RunBuilder()
    b.main()
    let a: UInt64 = 0x7fff_f000_0000
    b.mmap(3 * 4096, ret: Int64(a))
    b.munmap(a + 4096, 4096)
    b.segv(a + 4096, code: 1)
    let text = MemoryPicture.render(b.run(exit: .killed(signal: 11, coreDumped: false)))
    #expect(text.contains("inside mapping 1, 4096 bytes after its start, but it was already unmapped (#1 munmap)"))
}
