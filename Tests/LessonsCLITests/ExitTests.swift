// How every command ends: its status reaches the caller before the kernel has taken the
// 90 MB binary's address space apart (lessons_exit_leaving_teardown), and the holder process
// that does that teardown is gone right after. Watched from a C program that makes itself the
// subreaper of what `lessons` leaves behind, so the holder is adopted by it and waited for.

import Foundation
import Testing
import TestSupport

private let adopter = """
    #include <fcntl.h>
    #include <stdio.h>
    #include <sys/prctl.h>
    #include <sys/wait.h>
    #include <unistd.h>
    int main(int argc, char **argv) {
        if (argc < 2 || prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) return 2;
        alarm(60);  /* a holder that never ends kills us instead: no report, the test fails */
        pid_t tool = fork();
        if (tool == 0) {
            int null = open("/dev/null", O_WRONLY);
            dup2(null, 1);
            dup2(null, 2);
            execv(argv[1], argv + 1);
            _exit(127);
        }
        int status;
        if (waitpid(tool, &status, 0) != tool) return 2;
        printf("tool exited %d\\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        int adopted = 0;
        while (waitpid(-1, &status, 0) > 0) adopted++;
        printf("adopted %d\\n", adopted);
        return 0;
    }
    """

/// Runs `lessons ARGUMENTS` under the adopter; its report.
private func runAdopted(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
    let directory = TestScratch.directory("lessons-exit")
    try adopter.write(toFile: directory + "/adopter.c", atomically: false, encoding: .utf8)
    let cc = Process()
    cc.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
    cc.arguments = ["-O0", "-o", directory + "/adopter", directory + "/adopter.c"]
    try cc.run()
    cc.waitUntilExit()
    try #require(cc.terminationStatus == 0)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: directory + "/adopter")
    process.arguments = [LessonsBinary.path] + arguments
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "LESSONS_PLAIN_EXIT")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "the adopter failed: \(report)")
    return report
}

@Test func aCommandLeavesOneHolderThatEndsWithIt() throws {
    let report = try runAdopted(["--version"])
    #expect(report == "tool exited 0\nadopted 1\n")
}

@Test func theHolderIsLeftOutWhenAskedFor() throws {
    let report = try runAdopted(["--version"], environment: ["LESSONS_PLAIN_EXIT": "1"])
    #expect(report == "tool exited 0\nadopted 0\n")
}

/// A failing command ends the same way, with its own status (a usage error: one that starts
/// nothing else, such as the sandbox's preparation, whose namespace maker a command that ends
/// at once may leave behind too).
@Test func aFailedCommandKeepsItsStatus() throws {
    let report = try runAdopted(["--no-such-option"])
    #expect(report == "tool exited 2\nadopted 1\n")
}
