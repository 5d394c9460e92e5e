// The grader's side of its worker processes (GradingWorker.swift): up to N workers, each the
// `lessons` executable in worker mode, each kept alive across tasks (starting a process per
// submission would cost more than some submissions take). Everything runs on the caller's
// thread: one poll loop over every worker's socket and standard error.
//
// A worker that dies (a crash of the tool, killed from outside, or killed here for taking far
// longer than its task's limits allow) costs its task one retry on a fresh worker; a second
// death makes that task an internal error, never the class's. Workers die with the grader
// (PR_SET_PDEATHSIG, set by the worker: the parent that counts is the thread that started
// it, so they are all started from this one thread, which lives until they are gone).

import CLessonsPtrace
import Foundation
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

final class WorkerPool {
    /// A task on its way to a worker.
    struct Job {
        var task: WorkerMessage.Task
        /// Seconds a worker may spend on it before it is killed as hung.
        var allowedSeconds: Double
        /// Why earlier attempts ended (their worker died).
        var deaths: [String] = []
    }

    enum Outcome {
        case checked(ExerciseResult)
        /// Every attempt's worker died; why, attempt by attempt.
        case died([String])
    }

    private final class Worker {
        let slot: Int
        let pid: pid_t
        let socket: Int32
        var errors: Int32
        let scratch: String
        var reader = WorkerFrame.Reader()
        var ready = false
        var job: Job?
        var deadline = Double.infinity
        var killedAsHung = false
        /// The end of what the worker wrote to its standard error (its crash message, if any).
        var errorTail: [UInt8] = []

        init(slot: Int, pid: pid_t, socket: Int32, errors: Int32, scratch: String) {
            self.slot = slot
            self.pid = pid
            self.socket = socket
            self.errors = errors
            self.scratch = scratch
        }
    }

    let executable: String
    let slots: Int
    let environment: [String: String]
    /// The start message for the worker in a slot (its CPU) with its scratch folder.
    let startMessage: (_ slot: Int, _ scratch: String) -> WorkerMessage.Start
    /// Told each worker's pid when it starts.
    let started: ((Int32) -> Void)?
    /// Most attempts per task (a second death is final).
    static let attempts = 2
    /// Workers that die before they are ready, in a row, before grading gives up (a broken or
    /// replaced executable; one that became ready resets the count).
    static let startFailureLimit = 3

    private var workers: [Worker] = []
    private var retries: [Job] = []
    private var startFailures = 0

    init(executable: String, slots: Int, environment: [String: String], started: ((Int32) -> Void)?,
         startMessage: @escaping (Int, String) -> WorkerMessage.Start) {
        self.executable = executable
        self.slots = max(1, slots)
        self.environment = environment
        self.started = started
        self.startMessage = startMessage
    }

    /// Runs jobs from `next` (nil: no more) until every one has an outcome, given to `finished`
    /// as it arrives. Throws only when workers cannot be started at all.
    /// `meanwhile`: work of the caller's that must not keep a worker waiting for its next job;
    /// called when every worker that can take a job has one, before waiting for the next outcome.
    func run(next: () -> Job?, finished: (Job, Outcome) -> Void, meanwhile: () -> Void = {}) throws {
        var ended = false
        defer { shutDown(gently: ended) }
        var exhausted = false
        var waiting: Job?
        func take() -> Job? {
            if !retries.isEmpty { return retries.removeFirst() }
            if exhausted { return nil }
            if let job = next() { return job }
            exhausted = true
            return nil
        }
        while true {
            finishDeaths(finished)
            if startFailures >= Self.startFailureLimit {
                throw WorkerError("the grading workers (\(executable) \(GradingWorker.command)) die as they start: \(lastDeath)")
            }
            // Hand out work to ready, idle workers.
            for worker in workers where worker.ready && worker.job == nil {
                guard let job = waiting ?? take() else { break }
                waiting = nil
                assign(job, to: worker)
            }
            finishDeaths(finished)
            if waiting == nil { waiting = take() }
            if waiting == nil && !workers.contains(where: { $0.job != nil }) {
                ended = true
                return
            }
            // One more worker when work waits and none is free or starting.
            if waiting != nil && workers.count < slots && !workers.contains(where: { !$0.ready || $0.job == nil }) {
                try startWorker()
            }
            meanwhile()
            try wait(finished: finished)
        }
    }

    // MARK: - Starting and stopping

    private func startWorker() throws {
        _ = WorkerScratch.staleSwept
        let slot = (0..<slots).first { slot in !workers.contains { $0.slot == slot } } ?? workers.count
        var template = Array("/tmp/lessons-worker-\(getpid())-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw WorkerError("cannot create a folder for a grading worker in /tmp: \(String(cString: strerror(errno))); check that /tmp is writable")
        }
        let scratch = String(cString: made)
        do {
            let worker = try spawn(slot: slot, scratch: scratch)
            workers.append(worker)
            started?(worker.pid)
            try sendAll(WorkerFrame.encode(.start(startMessage(slot, scratch))), to: worker)
        } catch {
            if let worker = workers.last, worker.scratch == scratch {
                bury(worker, reason: nil)  // it died at once (its wait status says how), or does now
            } else {
                WorkerScratch.remove(scratch)
                throw error
            }
        }
    }

    private func spawn(slot: Int, scratch: String) throws -> Worker {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw WorkerError("cannot create a socket for a grading worker: \(String(cString: strerror(errno)))")
        }
        var errorPipe: [Int32] = [-1, -1]
        guard lessons_pipe(&errorPipe, O_CLOEXEC) == 0 else {
            close(pair[0]); close(pair[1])
            throw WorkerError("cannot create a pipe for a grading worker: \(String(cString: strerror(errno)))")
        }
        // The child's ends above the descriptors they become (dup2 onto itself would keep close-on-exec).
        let childSocket = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
        let childErrors = fcntl(errorPipe[1], F_DUPFD_CLOEXEC, 10)
        close(pair[1]); close(errorPipe[1])
        defer { close(childSocket); close(childErrors) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, childErrors, 1)
        posix_spawn_file_actions_adddup2(&actions, childErrors, 2)
        posix_spawn_file_actions_adddup2(&actions, childSocket, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let argv = [executable, GradingWorker.command, String(getpid())]
        let envp = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let result = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnv in posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnv) }
        }
        guard result == 0 else {
            close(pair[0]); close(errorPipe[0])
            throw WorkerError("cannot start the grading worker \(executable): \(String(cString: strerror(result))); pass the path of the lessons executable")
        }
        _ = fcntl(pair[0], F_SETFL, fcntl(pair[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(errorPipe[0], F_SETFL, fcntl(errorPipe[0], F_GETFL) | O_NONBLOCK)
        return Worker(slot: slot, pid: pid, socket: pair[0], errors: errorPipe[0], scratch: scratch)
    }

    private func assign(_ job: Job, to worker: Worker) {
        var job = job
        job.task.attempt = job.deaths.count + 1
        worker.job = job
        worker.deadline = monotonicSeconds() + job.allowedSeconds
        do {
            try sendAll(WorkerFrame.encode(.task(job.task)), to: worker)
        } catch {
            kill(worker.pid, SIGKILL)
            bury(worker, reason: "the task could not be sent to it (\(error))")
        }
    }

    /// Sends on the non-blocking socket, waiting for room: an idle worker is reading; one that
    /// takes nothing for 30 s is hung.
    private func sendAll(_ bytes: [UInt8], to worker: Worker) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(worker.socket, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 { offset += sent; continue }
            if sent < 0 && errno == EINTR { continue }
            if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                var entry = pollfd(fd: worker.socket, events: Int16(POLLOUT), revents: 0)
                if poll(&entry, 1, 30_000) <= 0 { throw WorkerError("the worker took no input for 30 s") }
                continue
            }
            throw WorkerError(String(cString: strerror(errno)))
        }
    }

    /// Closes every worker's socket (they exit at end of file) and reaps them; `gently`: a
    /// worker still there after a few seconds is killed (else at once: grading failed).
    private func shutDown(gently: Bool) {
        for worker in workers { close(worker.socket) }
        let deadline = monotonicSeconds() + (gently ? 5 : 0)
        for worker in workers {
            var status: Int32 = 0
            while true {
                let reaped = waitpid(worker.pid, &status, WNOHANG)
                if reaped == worker.pid || (reaped < 0 && errno != EINTR) { break }
                if monotonicSeconds() >= deadline { kill(worker.pid, SIGKILL) }
                usleep(2_000)
            }
            if worker.errors >= 0 { close(worker.errors) }
            WorkerScratch.remove(worker.scratch)
        }
        workers = []
    }

    // MARK: - The loop

    private func wait(finished: (Job, Outcome) -> Void) throws {
        var entries: [pollfd] = []
        for worker in workers {
            entries.append(pollfd(fd: worker.socket, events: Int16(POLLIN), revents: 0))
            entries.append(pollfd(fd: worker.errors, events: Int16(POLLIN), revents: 0))  // -1 is skipped by poll
        }
        let now = monotonicSeconds()
        let nearest = workers.map(\.deadline).min() ?? .infinity
        let timeout = Int32(max(0, min(1000, (nearest - now) * 1000 + 1)))
        let ready = poll(&entries, nfds_t(entries.count), timeout)
        if ready < 0 && errno != EINTR {
            throw WorkerError("cannot wait for the grading workers: \(String(cString: strerror(errno)))")
        }
        var dead: [(Worker, String?)] = []
        for (index, worker) in workers.enumerated() {
            let socketEvents = entries[2 * index].revents
            let errorEvents = entries[2 * index + 1].revents
            if errorEvents != 0 { drainErrors(worker) }
            if socketEvents != 0, let reason = receive(worker, finished: finished) {
                dead.append((worker, reason))
                continue
            }
            // A worker whose socket a leftover child still holds open: its exit says it all.
            var status: Int32 = 0
            if waitpid(worker.pid, &status, WNOHANG) == worker.pid {
                dead.append((worker, describe(status: status)))
                continue
            }
            if worker.job != nil && monotonicSeconds() > worker.deadline {
                worker.killedAsHung = true
                kill(worker.pid, SIGKILL)
            }
        }
        for (worker, reason) in dead {
            drainErrors(worker)
            bury(worker, reason: reason)
        }
    }

    /// Reads what the worker sent; nil while it lives, else why it is gone.
    private func receive(_ worker: Worker, finished: (Job, Outcome) -> Void) -> String? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var ended = false
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(worker.socket, $0.baseAddress!, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
            if count <= 0 {
                ended = true  // end of file or error: gone (its wait status says how), after what it sent
                break
            }
            worker.reader.append(buffer[0..<count])
        }
        do {
            while let message = try worker.reader.next() {
                switch message {
                case .ready(let ready):
                    guard ready.version == WorkerFrame.version else {
                        kill(worker.pid, SIGKILL)
                        return "it speaks worker protocol \(ready.version), the grader \(WorkerFrame.version)"
                    }
                    worker.ready = true
                    startFailures = 0
                case .result(let result):
                    guard let job = worker.job, job.task.id == result.id else {
                        kill(worker.pid, SIGKILL)
                        return "it answered a task it was not given"
                    }
                    worker.job = nil
                    worker.deadline = .infinity
                    finished(job, .checked(result.result))
                case .start, .task:
                    kill(worker.pid, SIGKILL)
                    return "it sent a message only the grader sends"
                }
            }
        } catch {
            kill(worker.pid, SIGKILL)
            return "it sent something unreadable (\(error))"
        }
        return ended ? "" : nil
    }

    private func drainErrors(_ worker: Worker) {
        guard worker.errors >= 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(worker.errors, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return }
            if count == 0 {
                close(worker.errors)
                worker.errors = -1
                return
            }
            worker.errorTail.append(contentsOf: buffer[0..<count])
            if worker.errorTail.count > 4096 { worker.errorTail.removeFirst(worker.errorTail.count - 4096) }
        }
    }

    /// Removes a dead (or doomed) worker; its task is tried again once, or given up.
    /// `reason` nil or empty: its wait status says why.
    private func bury(_ worker: Worker, reason: String?) {
        workers.removeAll { $0 === worker }
        // Reap it, giving a dying worker a moment so that its own ending is what it reports.
        var status: Int32 = 0
        var reaped = false
        let grace = monotonicSeconds() + 2
        while true {
            let result = waitpid(worker.pid, &status, WNOHANG)
            if result == worker.pid { reaped = true; break }
            if result < 0 && errno != EINTR { break }  // reaped already (its reason is given)
            if monotonicSeconds() >= grace {
                kill(worker.pid, SIGKILL)
                while waitpid(worker.pid, &status, 0) < 0 && errno == EINTR {}
                reaped = true
                break
            }
            usleep(2_000)
        }
        drainErrors(worker)
        if worker.errors >= 0 { close(worker.errors) }
        close(worker.socket)
        WorkerScratch.remove(worker.scratch)
        var why = reason.flatMap { $0.isEmpty ? nil : $0 } ?? (reaped ? describe(status: status) : "the worker ended")
        if worker.killedAsHung, let job = worker.job {
            why = "the worker took longer than \(Int(job.allowedSeconds)) s, far beyond the exercise's limits, and was killed"
        }
        if let line = lastLine(of: worker.errorTail) { why += " (its last words: \(line))" }
        if !worker.ready { startFailures += 1 }
        if let job = worker.job { buried.append((job, why)) }
        lastDeath = why
    }

    private var buried: [(Job, String)] = []
    private var lastDeath = ""

    /// Tasks of dead workers: again once, else their outcome.
    private func finishDeaths(_ finished: (Job, Outcome) -> Void) {
        let jobs = buried
        buried = []
        for (job, why) in jobs {
            var again = job
            again.deaths.append(why)
            if again.deaths.count < Self.attempts {
                retries.append(again)
            } else {
                finished(again, .died(again.deaths))
            }
        }
    }

    private func describe(status: Int32) -> String {
        let signal = status & 0x7f
        if signal != 0 {
            let name = SignalTable.name(of: signal)
            let crash = [SIGILL, SIGSEGV, SIGBUS, SIGFPE, SIGABRT, SIGTRAP].contains(signal) ? ": a crash of the tool" : ""
            return "the worker was killed by \(name)\(crash)"
        }
        return "the worker exited with status \((status >> 8) & 0xff) before it answered"
    }

    private func lastLine(of bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else { return nil }
        let clean = String(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : Character($0) })
        return clean.count > 200 ? String(clean.prefix(200)) + "…" : clean
    }

    private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
