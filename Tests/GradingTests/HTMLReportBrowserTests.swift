// The HTML report in a real browser: headless Chromium (Debian's `chromium`, installed by
// .ci/run) driven over the DevTools protocol on a pipe (--remote-debugging-pipe: commands on
// fd 3, answers on fd 4, each a JSON text ending in NUL). The test reads the DOM as rendered
// (counts, a student's status, a student page shown by its anchor) and records every request
// the page makes (Network.requestWillBeSent): the report's own file must be the only one. A
// page with one external image proves the recorder sees requests.

import Foundation
import Testing
@testable import Grading
#if canImport(Glibc)
import Glibc
#endif

/// One headless Chromium, spoken to over the DevTools pipe.
final class DevToolsBrowser {
    let pid: pid_t
    let commands: Int32
    let answers: Int32
    let profile: String
    var nextID = 1
    var buffer: [UInt8] = []
    var events: [[String: Any]] = []

    static func executable() -> String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(executable: String) throws {
        profile = try temporaryDirectory("chromium-profile")
        var toBrowser: [Int32] = [0, 0], fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw ProcessFailure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                         "--user-data-dir=\(profile)", "--no-first-run", "--no-default-browser-check",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", "--window-size=1280,900", "about:blank"]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = profile
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        // A process group of its own: the browser's helpers (zygote, renderer) die with it and
        // cannot write into the profile after it is removed.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, &argv, &envp)
        close(toBrowser[0])
        close(fromBrowser[1])
        guard status == 0 else { throw ProcessFailure(description: "cannot start \(executable): \(String(cString: strerror(status)))") }
        pid = child
        commands = toBrowser[1]
        answers = fromBrowser[0]
    }

    deinit {
        close(commands)
        close(answers)
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: profile)
    }

    /// Sends a command and waits for its answer (events that arrive meanwhile are kept).
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(commands, raw.baseAddress! + offset, raw.count - offset)
                guard written > 0 else { throw ProcessFailure(description: "the browser closed its pipe") }
                offset += written
            }
        }
        while true {
            let reply = try receive()
            if reply["id"] as? Int == id {
                if let error = reply["error"] { throw ProcessFailure(description: "\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            events.append(reply)
        }
    }

    /// Waits for an event of `method` (in `session`), up to `seconds`.
    func waitFor(_ method: String, session: String, seconds: Double = 60) throws {
        if events.contains(where: { $0["method"] as? String == method && $0["sessionId"] as? String == session }) { return }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let message = try receive(until: deadline)
            events.append(message)
            if message["method"] as? String == method && message["sessionId"] as? String == session { return }
        }
        throw ProcessFailure(description: "no \(method) within \(Int(seconds)) s")
    }

    func receive(until deadline: Date = Date().addingTimeInterval(120)) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                return (try JSONSerialization.jsonObject(with: Data(message))) as? [String: Any] ?? [:]
            }
            var poller = pollfd(fd: answers, events: Int16(POLLIN), revents: 0)
            let wait = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard poll(&poller, 1, wait) > 0 else { throw ProcessFailure(description: "the browser did not answer in time") }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = read(answers, &chunk, chunk.count)
            guard count > 0 else { throw ProcessFailure(description: "the browser closed its pipe") }
            buffer += chunk[..<count]
        }
    }

    /// Opens `url` in a new page; returns its session, once the page has loaded.
    func open(_ url: String) throws -> String {
        let target = try send("Target.createTarget", ["url": "about:blank"])
        let targetID = try #require(target["targetId"] as? String)
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        let session = try #require(attached["sessionId"] as? String)
        try send("Network.enable", [:], session: session)
        try send("Page.enable", [:], session: session)
        try send("Page.navigate", ["url": url], session: session)
        try waitFor("Page.loadEventFired", session: session)
        return session
    }

    /// Every URL the page in `session` asked for.
    func requests(in session: String) -> [String] {
        events.filter { $0["method"] as? String == "Network.requestWillBeSent" && $0["sessionId"] as? String == session }
            .compactMap { (($0["params"] as? [String: Any])?["request"] as? [String: Any])?["url"] as? String }
    }

    /// The value of a JavaScript expression in the page (JSON-compatible values).
    func evaluate(_ expression: String, session: String) throws -> Any? {
        let result = try send("Runtime.evaluate", ["expression": expression, "returnByValue": true], session: session)
        return (result["result"] as? [String: Any])?["value"]
    }
}

@Suite(.serialized) struct HTMLReportBrowserTests {
    @Test func theReportRendersInChromiumAndRequestsNothing() throws {
        let chromium = try #require(DevToolsBrowser.executable(), "chromium is not installed; .ci/run installs Debian's chromium")
        let report = try GradedFixture.report.get()
        let work = try temporaryDirectory("html")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let page = work + "/report.html"
        try ReportRenderer.html(report).write(toFile: page, atomically: true, encoding: .utf8)
        // The control: a page that does ask the network for something.
        let control = work + "/control.html"
        try "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/pixel.png\"></body></html>".write(toFile: control, atomically: true, encoding: .utf8)

        let browser = try DevToolsBrowser(executable: chromium)
        let carol = try #require(report.students.firstIndex { $0.id == "carol" })
        let session = try browser.open("file://\(page)#student-\(carol + 1)")
        let facts = try browser.evaluate("""
            JSON.stringify({
              rows: document.querySelectorAll('table.grid tbody tr').length,
              cells: document.querySelectorAll('table.grid td.cell').length,
              exercises: document.querySelectorAll('table.exercises tbody tr').length,
              bins: document.querySelectorAll('svg.histogram rect').length,
              binTotal: [...document.querySelectorAll('svg.histogram rect')].reduce((a, r) => a + Number(r.dataset.count), 0),
              carolTwoPages: document.querySelector('tr[data-student="carol"] td[data-exercise="fixture-memory/two-pages"]').dataset.status,
              carolShown: getComputedStyle(document.querySelector('section.student[data-student="carol"]')).display,
              bobShown: getComputedStyle(document.querySelector('section.student[data-student="bob"]')).display,
              carolText: document.querySelector('section.student[data-student="carol"]').innerText,
              median: document.querySelector('[data-stat="median"] b').textContent,
              scripts: document.scripts.length,
              external: [...document.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') || e.getAttribute('href')).filter(u => !u.startsWith('#')),
            })
            """, session: session) as? String
        let text = try #require(facts)
        let dom = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(dom["rows"] as? Int == report.students.count)
        #expect(dom["cells"] as? Int == report.students.count * report.exercises.count)
        #expect(dom["exercises"] as? Int == report.exercises.count)
        #expect(dom["bins"] as? Int == 10 && dom["binTotal"] as? Int == report.students.count)
        #expect(dom["carolTwoPages"] as? String == "crashed")
        #expect(dom["carolShown"] as? String == "block", "the anchor shows carol's page")
        #expect(dom["bobShown"] as? String == "none")
        let carolText = try #require(dom["carolText"] as? String)
        #expect(carolText.contains("killed by SIGSEGV"))
        #expect(carolText.contains("What the student sees"))
        #expect(dom["scripts"] as? Int == 0)
        #expect((dom["external"] as? [Any])?.isEmpty == true, "\(dom["external"] ?? "")")
        // Totals 31, 5, 0, 6, 6, 4: median (5 + 6) / 2.
        #expect(dom["median"] as? String == "5.5/31")

        let requested = browser.requests(in: session)
        #expect(requested.count == 1 && requested.first?.hasPrefix("file://\(page)") == true, "the page asked for \(requested)")

        let controlSession = try browser.open("file://\(control)")
        #expect(browser.requests(in: controlSession).contains("http://127.0.0.1:9/pixel.png"),
                "the recorder sees a page's requests: \(browser.requests(in: controlSession))")
    }
}
