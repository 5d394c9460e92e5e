// The facts kept between runs (MachineFacts) and the sandbox probe kept for a boot: a file is
// used only when it is ours, private, whole and written under the same key; a cached probe may
// spare the tries of mechanisms found working, never turn one off.
import Foundation
import Testing
@testable import Sandbox
import TestSupport

private func factsDirectory() -> String {
    TestScratch.directory("machine-facts")
}

@Test func aFactIsReadBackOnlyUnderItsKey() throws {
    let file = factsDirectory() + "/deeper/fact"
    MachineFacts.write(file, key: "boot 1", value: "4079")
    #expect(MachineFacts.read(file, key: "boot 1") == "4079")
    #expect(MachineFacts.read(file, key: "boot 2") == nil)
    // A key or value with a line break stays one line.
    MachineFacts.write(file, key: "two\nlines", value: "a\nb")
    #expect(MachineFacts.read(file, key: "two\nlines") == "a b")
}

@Test func aDamagedOrForeignFactFileIsNoFact() throws {
    let directory = factsDirectory()
    let file = directory + "/fact"
    MachineFacts.write(file, key: "k", value: "v")
    let whole = try String(contentsOfFile: file, encoding: .utf8)
    // Cut short (no end marker), garbled, not UTF-8, too long.
    try String(whole.dropLast(5)).write(toFile: file, atomically: false, encoding: .utf8)
    #expect(MachineFacts.read(file, key: "k") == nil)
    try "lessons-fact 1\nk\n".write(toFile: file, atomically: false, encoding: .utf8)
    #expect(MachineFacts.read(file, key: "k") == nil)
    try Data([0x6c, 0xff, 0xfe, 0x0a]).write(to: URL(fileURLWithPath: file))
    #expect(MachineFacts.read(file, key: "k") == nil)
    try (whole + String(repeating: "x", count: 20_000)).write(toFile: file, atomically: false, encoding: .utf8)
    #expect(MachineFacts.read(file, key: "k") == nil)
    // Whole again, but writable by others: someone else could have written it.
    try whole.write(toFile: file, atomically: false, encoding: .utf8)
    #expect(MachineFacts.read(file, key: "k") == "v")
    chmod(file, 0o666)
    #expect(MachineFacts.read(file, key: "k") == nil)
    // A symbolic link to a good file is not followed.
    let elsewhere = directory + "/elsewhere"
    MachineFacts.write(elsewhere, key: "k", value: "v")
    unlink(file)
    #expect(symlink(elsewhere, file) == 0)
    #expect(MachineFacts.read(file, key: "k") == nil)
    // A directory where the file should be.
    unlink(file)
    #expect(mkdir(file, 0o700) == 0)
    #expect(MachineFacts.read(file, key: "k") == nil)
}

@Test func theCacheDirectoryIsTheCompileCaches() {
    #expect(MachineFacts.cacheDirectory { ["LESSONS_CACHE": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"][$0] } == "/c")
    #expect(MachineFacts.cacheDirectory { ["XDG_CACHE_HOME": "/x", "HOME": "/h"][$0] } == "/x/lessons")
    #expect(MachineFacts.cacheDirectory { ["XDG_CACHE_HOME": "relative", "HOME": "/h"][$0] } == "/h/.cache/lessons")
}

@Test func aCachedProbeNeverTurnsAMechanismOff() throws {
    let fresh = Isolation.probe()
    let key = MachineFacts.bootKey()
    let file = factsDirectory() + "/sandbox-probe"
    // A file of this boot claiming nothing works: every mechanism is tried, as with no file.
    MachineFacts.write(file, key: key, value: "0")
    #expect(IsolationState(file: file).current.available == fresh.available)
    // Garbage, another boot's file claiming everything, a file others may write.
    try "lessons-fact 1\n\(key)\nnot a number\nend\n".write(toFile: file, atomically: false, encoding: .utf8)
    #expect(IsolationState(file: file).current.available == fresh.available)
    MachineFacts.write(file, key: "linux another-boot", value: String(UInt32.max))
    #expect(IsolationState(file: file).current.available == fresh.available)
    MachineFacts.write(file, key: key, value: String(UInt32.max))
    chmod(file, 0o622)
    #expect(IsolationState(file: file).current.available == fresh.available)
    // What was learned is kept for the next process of this boot.
    #expect(MachineFacts.read(file, key: key) == String(fresh.available.rawValue))
}

@Test func aCachedProbeIsTrustedForItsBootAndRelearnedAfterAFailedSetUp() throws {
    let fresh = Isolation.probe()
    let file = factsDirectory() + "/sandbox-probe"
    // Claims every mechanism: the ones the probe applies to this user are taken untried.
    MachineFacts.write(file, key: MachineFacts.bootKey(), value: String(UInt32.max))
    let state = IsolationState(file: file)
    #expect(state.current.available.isSuperset(of: fresh.available))
    // A set-up failed: everything is tried again, and the file holds what was found.
    _ = state.relearn()
    #expect(state.current.available == fresh.available)
    #expect(MachineFacts.read(file, key: MachineFacts.bootKey()) == String(fresh.available.rawValue))
    // Nothing trusted any more: another failure is the machine's, not the cache's.
    #expect(state.relearn() == false)
    // Learned without a file: nothing was trusted, nothing to learn again.
    let unaided = IsolationState(file: factsDirectory() + "/none")
    #expect(unaided.current.available == fresh.available)
    #expect(unaided.relearn() == false)
}
