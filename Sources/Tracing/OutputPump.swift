// The second thread of a trace: feeds standard input, reads captured stdout/stderr up to their
// caps, and watches the clock. It never touches ptrace; it asks the KillSwitch to end the tree.

import CLessonsPtrace
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

final class OutputPump {
    struct Stream {
        var fd: Int32
        var limit: Int
        var bytes: [UInt8] = []
        var truncated = false
        var open = true
    }

    private var streams: [Stream]
    private var stdinFD: Int32
    private var stdinBytes: [UInt8]
    private var stdinOffset = 0
    /// When the run ends and why: first the set-up's own bound, then, from the program's exec
    /// on, its wall-clock limit (`programStarted`): the tool's set-up is not the program's time.
    private let clock: Mutex<(deadline: Double?, reason: KillSwitch.Reason)>
    private let wallLimit: Double?
    private let killSwitch: KillSwitch
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private var thread: DedicatedThread?
    /// Where stdout's bytes are copied instead of kept (-1: kept): a `--tty` trace shows the
    /// program's output on the tool's own stdout as it comes.
    private let stdoutRelay: Int32

    /// How long the set-up before the program's exec may take (sandbox, namespaces, mounts):
    /// past it the trace fails as the tool's fault, never as the program's timeout.
    static let setupSeconds: Double = 30

    /// `streams`: read ends (stdout then stderr, either may be absent: fd -1). `stdinFD`: write end
    /// fed with `stdinBytes` (-1 for none). `wallLimit`: seconds from the program's exec (nil: none);
    /// `started`: monotonic seconds the set-up began.
    init(stdout: Int32, stdoutLimit: Int, stderr: Int32, stderrLimit: Int,
         stdinFD: Int32, stdinBytes: [UInt8], wallLimit: Double?, started: Double, killSwitch: KillSwitch,
         stdoutRelay: Int32 = -1) {
        streams = [Stream(fd: stdout, limit: stdoutLimit), Stream(fd: stderr, limit: stderrLimit)]
        for index in streams.indices where streams[index].fd < 0 { streams[index].open = false }
        self.stdinFD = stdinFD
        self.stdinBytes = stdinBytes
        self.wallLimit = wallLimit
        clock = Mutex((wallLimit.map { _ in started + OutputPump.setupSeconds }, .setupTimeout))
        self.killSwitch = killSwitch
        self.stdoutRelay = stdoutRelay
        var fds: [Int32] = [-1, -1]
        lessons_pipe(&fds, O_CLOEXEC | O_NONBLOCK)
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    func start() -> Bool {
        thread = DedicatedThread.start { [self] in self.pump() }
        return thread != nil
    }

    /// The program's exec: its wall-clock limit starts now.
    func programStarted() {
        guard let wallLimit else { return }
        clock.withLock { $0 = (monotonicSeconds() + wallLimit, .timeout) }
        var byte: UInt8 = 2
        _ = write(wakeWrite, &byte, 1)
    }

    /// Tells the pump the tree is gone, waits for it to drain what is left, and returns the output.
    func finish() -> (stdout: Stream, stderr: Stream) {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
        thread?.join()
        thread = nil
        close(wakeRead)
        close(wakeWrite)
        for stream in streams where stream.open { close(stream.fd) }
        if stdinFD >= 0 { close(stdinFD); stdinFD = -1 }
        return (streams[0], streams[1])
    }

    private func pump() {
        // A reader that stopped reading must give us EPIPE, not kill the tool with SIGPIPE:
        // block it for this thread (a thread-directed SIGPIPE then stays pending here).
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)

        var finishing = false
        var deadlinePassed = false
        while true {
            var fds: [pollfd] = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            var roles: [Int] = [-2]
            for (index, stream) in streams.enumerated() where stream.open {
                fds.append(pollfd(fd: stream.fd, events: Int16(POLLIN), revents: 0))
                roles.append(index)
            }
            if stdinFD >= 0 {
                fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0))
                roles.append(-1)
            }
            if finishing {
                // Drain without waiting: whatever is buffered now is all we take.
                for (slot, role) in roles.enumerated() where role >= 0 { drain(role) ; _ = slot }
                return
            }
            var timeoutMs: Int32 = -1
            let (deadline, reason) = clock.withLock { $0 }
            if let deadline, !deadlinePassed {
                let left = deadline - monotonicSeconds()
                if left <= 0 {
                    deadlinePassed = true
                    killSwitch.request(reason)
                    continue
                }
                timeoutMs = Int32(min(left * 1000 + 1, 60_000))
            }
            let ready = poll(&fds, nfds_t(fds.count), timeoutMs)
            if ready < 0 { if errno == EINTR { continue }; return }
            if ready == 0 { continue }
            for (slot, role) in roles.enumerated() where fds[slot].revents != 0 {
                switch role {
                case -2: finishing = wakeUp()
                case -1: feedStdin()
                default: drain(role)
                }
            }
        }
    }

    /// Reads the wake pipe: true when `finish` asked (1), false for a new deadline (2).
    private func wakeUp() -> Bool {
        var bytes = [UInt8](repeating: 0, count: 16)
        var finish = false
        while true {
            let n = bytes.withUnsafeMutableBytes { read(wakeRead, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            if bytes[0..<n].contains(1) { finish = true }
        }
        return finish
    }

    private func feedStdin() {
        while stdinOffset < stdinBytes.count {
            let n = stdinBytes.withUnsafeBytes { write(stdinFD, $0.baseAddress! + stdinOffset, $0.count - stdinOffset) }
            if n > 0 { stdinOffset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EAGAIN { return }
            break  // EPIPE: the program closed its input.
        }
        close(stdinFD)
        stdinFD = -1
    }

    private func drain(_ index: Int) {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while streams[index].open {
            let n = chunk.withUnsafeMutableBytes { read(streams[index].fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            // EIO: a pseudo-terminal (`--tty`) whose program side every process has closed.
            if n < 0 && errno != EIO { return }  // EAGAIN: nothing more for now.
            if n <= 0 {
                close(streams[index].fd)
                streams[index].open = false
                return
            }
            if index == 0 && stdoutRelay >= 0 {
                relay(chunk, count: n)
                continue
            }
            let room = streams[index].limit - streams[index].bytes.count
            if n <= room {
                streams[index].bytes.append(contentsOf: chunk[0..<n])
            } else {
                streams[index].bytes.append(contentsOf: chunk[0..<max(room, 0)])
                if !streams[index].truncated {
                    streams[index].truncated = true
                    killSwitch.request(.outputLimit)
                }
            }
        }
    }
}

extension OutputPump {
    /// Copies `count` bytes of `chunk` to the relay (a reader that went away loses the rest).
    private func relay(_ chunk: [UInt8], count: Int) {
        var offset = 0
        while offset < count {
            let n = chunk.withUnsafeBytes { write(stdoutRelay, $0.baseAddress! + offset, count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
