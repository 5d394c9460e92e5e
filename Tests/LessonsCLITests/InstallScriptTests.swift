// scripts/install.sh for real, into a temporary PREFIX, with the debug binary the suite already
// built (a release build would take minutes; the release install is checked by hand, see
// README): the layout, the pack found with no flag, bash completion loading, DESTDIR staging,
// and an uninstall that removes exactly what was installed.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

@Suite(.serialized) struct InstallScriptTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let script = repository + "/scripts/install.sh"

    /// Runs `command` with bash in `directory`; its status and everything it printed.
    static func bash(_ command: String, in directory: String, environment: [String: String] = [:]) -> (status: Int32, output: String) {
        let log = directory + "/.install-test-\(getpid()).log"
        defer { unlink(log) }
        let exports = environment.map { "\($0.key)=\(Shell.quote($0.value))" }.joined(separator: " ")
        let status = Shell.run("cd \(Shell.quote(directory)) && env -u LESSONS_PATH -u PREFIX -u DESTDIR \(exports) bash -c \(Shell.quote(command)) >\(Shell.quote(log)) 2>&1 </dev/null")
        return (status, read(log) ?? "")
    }

    static let installed = [
        "bin/lessons", "share/bash-completion/completions/lessons", "share/zsh/site-functions/_lessons",
        "share/fish/vendor_completions.d/lessons.fish", "share/lessons/Lessons", "share/lessons/Solutions",
    ]

    @Test func installsIntoAPrefixAndUninstallsExactlyThat() throws {
        let work = temporaryDirectory()
        let prefix = work + "/prefix"
        // Something of someone else's in the same prefix: uninstall must leave it.
        write("#!/bin/sh\n", to: prefix + "/bin/other-tool")
        write(".TH OTHER 1\n", to: prefix + "/share/man/man1/other.1")

        let install = Self.bash("\(Shell.quote(Self.script)) --binary \(Shell.quote(LessonsBinary.path)) --prefix \(Shell.quote(prefix))", in: work)
        #expect(install.status == 0, "\(install.output)")
        for path in Self.installed {
            #expect(FileManager.default.fileExists(atPath: prefix + "/" + path), "\(path) missing: \(install.output)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: prefix + "/bin/lessons"))
        #expect(Set(WorkspacePlaceTests.entries(prefix + "/share/lessons/Lessons")) == Set(WorkspacePlaceTests.entries(Self.repository + "/Lessons")))
        #expect(install.output.contains("installed lessons 0.1.0 in \(prefix)"), "\(install.output)")
        #expect(install.output.contains("(no man page)"), "a given --binary has no man page: \(install.output)")

        // The installed binary finds its pack with no flag and no LESSONS_PATH, from anywhere.
        let elsewhere = temporaryDirectory()
        let list = Self.bash("\(Shell.quote(prefix + "/bin/lessons")) list --plain", in: elsewhere)
        #expect(list.status == 0, "\(list.output)")
        #expect(list.output.contains("malloc-basics/echo-numbers"), "\(list.output)")

        // bash completion: sourcing the file registers it; a completion of `ne` offers `next`.
        let bash = Self.bash("""
            source \(Shell.quote(prefix + "/share/bash-completion/completions/lessons"))
            complete -p lessons
            COMP_WORDS=(lessons ne); COMP_CWORD=1; COMP_LINE='lessons ne'; COMP_POINT=10
            _lessons lessons ne lessons
            printf 'offered: %s\\n' "${COMPREPLY[@]}"
            """, in: elsewhere, environment: ["PATH": prefix + "/bin:/usr/bin:/bin"])
        #expect(bash.status == 0, "\(bash.output)")
        #expect(bash.output.contains("complete -o filenames -F _lessons lessons"), "\(bash.output)")
        #expect(bash.output.contains("offered: next"), "\(bash.output)")
        #expect(read(prefix + "/share/zsh/site-functions/_lessons")?.hasPrefix("#compdef lessons") == true)
        #expect(read(prefix + "/share/fish/vendor_completions.d/lessons.fish")?.contains("complete -c 'lessons'") == true)

        // The man page's source: what generate-manual reads from the installed binary.
        let dump = Self.bash("\(Shell.quote(prefix + "/bin/lessons")) --experimental-dump-help", in: elsewhere)
        let help = try JSONSerialization.jsonObject(with: Data(dump.output.utf8)) as? [String: Any]
        #expect((help?["command"] as? [String: Any])?["commandName"] as? String == "lessons", "\(dump.output.prefix(300))")

        // Installing again over the first install is fine (an upgrade).
        #expect(Self.bash("\(Shell.quote(Self.script)) --binary \(Shell.quote(LessonsBinary.path)) --prefix \(Shell.quote(prefix))", in: work).status == 0)

        let uninstall = Self.bash("\(Shell.quote(Self.script)) --uninstall --prefix \(Shell.quote(prefix))", in: work)
        #expect(uninstall.status == 0, "\(uninstall.output)")
        for path in Self.installed {
            #expect(!FileManager.default.fileExists(atPath: prefix + "/" + path), "\(path) left behind")
        }
        #expect(!FileManager.default.fileExists(atPath: prefix + "/share/lessons"))
        #expect(FileManager.default.fileExists(atPath: prefix + "/bin/other-tool"))
        #expect(FileManager.default.fileExists(atPath: prefix + "/share/man/man1/other.1"))
        let again = Self.bash("\(Shell.quote(Self.script)) --uninstall --prefix \(Shell.quote(prefix))", in: work)
        #expect(again.status == 0)
        #expect(again.output.contains("nothing of lessons is installed in \(prefix)"), "\(again.output)")
    }

    @Test func destdirStagesUnderThePrefixAndTheStagedPackIsFoundOnceMoved() throws {
        let work = temporaryDirectory()
        let stage = work + "/stage"
        let result = Self.bash("\(Shell.quote(Self.script)) --binary \(Shell.quote(LessonsBinary.path)) --no-strip", in: work,
                               environment: ["DESTDIR": stage, "PREFIX": "/opt/lessons-test"])
        #expect(result.status == 0, "\(result.output)")
        #expect(FileManager.default.isExecutableFile(atPath: stage + "/opt/lessons-test/bin/lessons"))
        #expect(FileManager.default.fileExists(atPath: stage + "/opt/lessons-test/share/lessons/Lessons"))
        #expect(!FileManager.default.fileExists(atPath: "/opt/lessons-test"))
        #expect(!result.output.contains("not on your PATH"), "a staged install says nothing about the live PATH")
        // Moved to where the package manager puts it, the pack is found beside the binary.
        let moved = work + "/root/opt/lessons-test"
        try FileManager.default.createDirectory(atPath: work + "/root/opt", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: stage + "/opt/lessons-test", toPath: moved)
        let list = Self.bash("\(Shell.quote(moved + "/bin/lessons")) list --plain", in: work)
        #expect(list.output.contains("malloc-basics/echo-numbers"), "\(list.output)")
    }

    @Test func badArgumentsAreOneLineAndInstallNothing() {
        let work = temporaryDirectory()
        let relative = Self.bash("\(Shell.quote(Self.script)) --binary \(Shell.quote(LessonsBinary.path)) --prefix relative/dir", in: work)
        #expect(relative.status == 2)
        #expect(relative.output == "install.sh: PREFIX must be an absolute path, not 'relative/dir'\n", "\(relative.output)")
        let unknown = Self.bash("\(Shell.quote(Self.script)) --prefx /tmp/x", in: work)
        #expect(unknown.status == 2)
        #expect(unknown.output == "install.sh: unknown option '--prefx'; scripts/install.sh --help lists them\n", "\(unknown.output)")
        let missing = Self.bash("\(Shell.quote(Self.script)) --binary \(Shell.quote(work + "/nope")) --prefix \(Shell.quote(work + "/p"))", in: work)
        #expect(missing.status == 2)
        #expect(missing.output.hasSuffix("is not an executable; give the lessons binary to --binary\n"), "\(missing.output)")
        #expect(!FileManager.default.fileExists(atPath: work + "/p"))
    }
}
