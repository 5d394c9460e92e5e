// `lessons trace`: run any program under the tracer and print its syscalls like strace does.

import ArgumentParser
import CLessonsShims
import Syscalls
import Tracing
#if canImport(Glibc)
import Glibc
#endif

extension Lessons {
    public struct Trace: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "trace",
            abstract: "Trace a program's system calls, strace-style.",
            discussion: """
                By default only what happens after the program's `main` is shown; --all adds the \
                loader's and runtime's start-up. Children, threads and exec'd programs are followed. \
                Lines go to standard error (or -o FILE), identical to strace's for the calls it decodes. \
                Exits with the program's exit status (128+N when killed by signal N).
                """)

        @Flag(name: .long, help: "Show start-up events before `main` too (the loader, libc and runtime set-up).")
        var all = false

        @Flag(name: .customShort("f"), help: "Follow forks, vforks and threads (always on; accepted for strace habits).")
        var follow = false

        @Option(name: .customShort("o"), help: ArgumentHelp("Write the trace to FILE instead of standard error.", valueName: "FILE"))
        var output: String?

        @Option(name: .long, help: ArgumentHelp("Output format: strace or jsonl.", valueName: "FORMAT"))
        var format: TraceFormat = .strace

        @Option(name: .customShort("e"), help: ArgumentHelp("Trace only these calls: trace=NAME,… or trace=%memory, trace=%process.", valueName: "EXPR"))
        var expression: String?

        @Option(name: .long, help: ArgumentHelp("Kill the whole traced tree after S seconds.", valueName: "S"))
        var timeout: Double?

        @Option(name: .long, help: ArgumentHelp("Make calls fail on purpose, strace's syntax: CALL:error=ERRNO|retval=N[:when=FIRST[..LAST][+STEP]], counted from main (repeatable).", valueName: "RULE"))
        var inject: [String] = []  // beyond strace (Tracing/FaultInjection.swift)

        @Flag(name: .long, help: "Name the program's source line that led to each event after main (needs -g; addr2line from binutils).")
        var lines = false  // beyond strace (Tracing/SourceLines.swift)

        @Flag(name: .customLong("no-pin"), help: "Do not pin the tracer and the program to one CPU (pinning is much faster on small machines).")
        var noPin = false

        @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The program and its arguments (after --).", valueName: "PROGRAM"))
        var command: [String] = []

        public init() {}

        enum TraceFormat: String, ExpressibleByArgument, CaseIterable {
            case strace, jsonl
        }

        public func validate() throws {
            var words = command
            if words.first == "--" { words.removeFirst() }
            if words.isEmpty { throw ValidationError("name a program to trace: lessons trace -- PROGRAM [ARGS…]") }
            if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
            if let expression { _ = try SyscallSelection.parse(expression) }
            for rule in inject { do { _ = try FaultInjection.parse(rule) } catch { throw ValidationError(error.description) } }
        }

        public func run() throws {
            var words = command
            if words.first == "--" { words.removeFirst() }
            let program = try ProgramLocator.resolve(words[0])
            let selection = try expression.map { try SyscallSelection.parse($0) }

            // Open the output before starting anything, so a bad -o leaves nothing behind.
            let sink: TraceSink
            if let output {
                let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                if fd < 0 {
                    throw LessonsFailure.usage("cannot write the trace to \(output): \(String(cString: strerror(errno)))")
                }
                sink = TraceSink(fd: fd, flushEachLine: false, closeAtEnd: true)
            } else {
                sink = TraceSink(fd: 2, flushEachLine: true, closeAtEnd: false)
            }

            var request = TraceRequest(executable: program, arguments: Array(words.dropFirst()))
            request.includeStartup = all
            request.followForks = true
            request.recordEvents = false
            request.timeout = timeout
            request.syscallFilter = selection?.numbers
            if !noPin { request.pinCPU = Self.defaultCPU() }
            request.faultInjections = inject.compactMap { try? FaultInjection.parse($0) }  // checked in validate()
            request.extras.sourceLines = lines

            let renderer = TraceLineRenderer(format: format, pidPrefixStyle: output == nil ? .bracketed : .column)
            let onlyCalls = selection?.numbers
            let outcome: TraceOutcome
            do {
                outcome = try Tracer.run(request) { event in
                    if let onlyCalls, case .syscall(let call) = event.kind, !onlyCalls.contains(call.number) { 
                        renderer.observe(event)
                        return
                    }
                    sink.write(TraceAnnotation.annotate(renderer.render(event), event, jsonl: format == .jsonl))
                }
            } catch let error as TraceError {
                sink.finish()
                throw LessonsFailure(error.description, exitCode: error.kind == .cannotRun ? 2 : 3)
            }
            sink.finish()

            if !outcome.run.sawMain && !all {
                FileHandleOutput.standardError.write("lessons: note: \(words[0]) has no `main` symbol (or never reached it): showing every event, as with --all\n")
            }
            if outcome.timedOut {
                FileHandleOutput.standardError.write("lessons: \(words[0]) ran longer than \(Self.seconds(timeout ?? 0)) s: killed it and everything it started\n")
                throw LessonsFailure("", exitCode: 124)
            }
            switch outcome.run.exit {
            case .exited(let status)?: throw ExitCode(status)
            case .killed(let signal, _)?: throw ExitCode(128 + signal)
            case nil: throw ExitCode(1)
            }
        }

        /// The CPU this process runs on now (both tracer and tracee go there).
        static func defaultCPU() -> Int? {
            let cpu = lessons_current_cpu()
            return cpu >= 0 ? Int(cpu) : nil
        }

        static func seconds(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
    }
}

/// Finds the program like strace (and execvp) do: a name with a slash is a path, else $PATH.
enum ProgramLocator {
    static func resolve(_ name: String) throws -> String {
        let path: String
        if name.contains("/") {
            path = name
        } else {
            let directories = (getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin")
                .split(separator: ":", omittingEmptySubsequences: false).map { $0.isEmpty ? "." : String($0) }
            guard let found = directories.map({ "\($0)/\(name)" }).first(where: { isExecutableFile($0) }) else {
                throw LessonsFailure.usage("cannot find \(name) on $PATH: give its path (e.g. ./\(name))")
            }
            path = found
        }
        var info = stat()
        if stat(path, &info) != 0 {
            throw LessonsFailure.usage("cannot run \(path): \(String(cString: strerror(errno))): check the path")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw LessonsFailure.usage("cannot run \(path): it is a directory: give a program")
        }
        if access(path, X_OK) != 0 {
            throw LessonsFailure.usage("cannot run \(path): \(String(cString: strerror(errno))): make it executable (chmod +x \(path))")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            var magic = [UInt8](repeating: 0, count: 4)
            let n = magic.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 4) }
            close(fd)
            let isELF = n == 4 && magic == [0x7f, 0x45, 0x4c, 0x46]
            let isScript = n >= 2 && magic[0] == 0x23 && magic[1] == 0x21
            if !isELF && !isScript {
                throw LessonsFailure.usage("cannot run \(path): not a program (neither an ELF executable nor a #! script): compile it first")
            }
        }
        return path
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }
}

/// `-e trace=…`: which syscalls to show (and to stop on, through the seccomp filter).
struct SyscallSelection {
    var numbers: Set<Int>

    static func parse(_ expression: String) throws -> SyscallSelection {
        var text = Substring(expression)
        if text.hasPrefix("trace=") { text = text.dropFirst(6) }
        var numbers = Set<Int>()
        for word in text.split(separator: ",") {
            let name = String(word)
            if name.hasPrefix("%") {
                guard let group = TraceSyscallNames.classes[String(name.dropFirst())] else {
                    throw ValidationError("unknown syscall class \(name) in -e \(expression): use %memory or %process")
                }
                for member in group { if let number = TraceSyscallNames.number(member) { numbers.insert(number) } }
            } else if let number = TraceSyscallNames.number(name) {
                numbers.insert(number)
            } else {
                throw ValidationError("unknown syscall \(name) in -e \(expression): use x86_64 names such as mmap,brk")
            }
        }
        if numbers.isEmpty { throw ValidationError("-e \(expression) selects no syscall: use trace=NAME,… or trace=%memory") }
        return SyscallSelection(numbers: numbers)
    }
}

/// Buffered writes of trace lines to a descriptor.
final class TraceSink {
    private let fd: Int32
    private let flushEachLine: Bool
    private let closeAtEnd: Bool
    private var buffer: [UInt8] = []

    init(fd: Int32, flushEachLine: Bool, closeAtEnd: Bool) {
        self.fd = fd
        self.flushEachLine = flushEachLine
        self.closeAtEnd = closeAtEnd
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ line: String) {
        guard !line.isEmpty else { return }
        buffer.append(contentsOf: line.utf8)
        if flushEachLine || buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() {
        flush()
        if closeAtEnd { close(fd) }
    }
}

/// x86_64 syscall names in number order (from <asm/unistd_64.h>), for `-e trace=NAME`.
/// Interim: replaced by module Syscalls' generated table once it lands.
enum TraceSyscallNames {
    static let names: [String] = """
        0:read 1:write 2:open 3:close 4:stat 5:fstat 6:lstat 7:poll 8:lseek 9:mmap 10:mprotect 11:munmap 12:brk 
        13:rt_sigaction 14:rt_sigprocmask 15:rt_sigreturn 16:ioctl 17:pread64 18:pwrite64 19:readv 20:writev 
        21:access 22:pipe 23:select 24:sched_yield 25:mremap 26:msync 27:mincore 28:madvise 29:shmget 30:shmat 
        31:shmctl 32:dup 33:dup2 34:pause 35:nanosleep 36:getitimer 37:alarm 38:setitimer 39:getpid 40:sendfile 
        41:socket 42:connect 43:accept 44:sendto 45:recvfrom 46:sendmsg 47:recvmsg 48:shutdown 49:bind 50:listen 
        51:getsockname 52:getpeername 53:socketpair 54:setsockopt 55:getsockopt 56:clone 57:fork 58:vfork 59:execve 
        60:exit 61:wait4 62:kill 63:uname 64:semget 65:semop 66:semctl 67:shmdt 68:msgget 69:msgsnd 70:msgrcv 
        71:msgctl 72:fcntl 73:flock 74:fsync 75:fdatasync 76:truncate 77:ftruncate 78:getdents 79:getcwd 80:chdir 
        81:fchdir 82:rename 83:mkdir 84:rmdir 85:creat 86:link 87:unlink 88:symlink 89:readlink 90:chmod 91:fchmod 
        92:chown 93:fchown 94:lchown 95:umask 96:gettimeofday 97:getrlimit 98:getrusage 99:sysinfo 100:times 
        101:ptrace 102:getuid 103:syslog 104:getgid 105:setuid 106:setgid 107:geteuid 108:getegid 109:setpgid 
        110:getppid 111:getpgrp 112:setsid 113:setreuid 114:setregid 115:getgroups 116:setgroups 117:setresuid 
        118:getresuid 119:setresgid 120:getresgid 121:getpgid 122:setfsuid 123:setfsgid 124:getsid 125:capget 
        126:capset 127:rt_sigpending 128:rt_sigtimedwait 129:rt_sigqueueinfo 130:rt_sigsuspend 131:sigaltstack 
        132:utime 133:mknod 134:uselib 135:personality 136:ustat 137:statfs 138:fstatfs 139:sysfs 140:getpriority 
        141:setpriority 142:sched_setparam 143:sched_getparam 144:sched_setscheduler 145:sched_getscheduler 
        146:sched_get_priority_max 147:sched_get_priority_min 148:sched_rr_get_interval 149:mlock 150:munlock 
        151:mlockall 152:munlockall 153:vhangup 154:modify_ldt 155:pivot_root 156:_sysctl 157:prctl 158:arch_prctl 
        159:adjtimex 160:setrlimit 161:chroot 162:sync 163:acct 164:settimeofday 165:mount 166:umount2 167:swapon 
        168:swapoff 169:reboot 170:sethostname 171:setdomainname 172:iopl 173:ioperm 174:create_module 
        175:init_module 176:delete_module 177:get_kernel_syms 178:query_module 179:quotactl 180:nfsservctl 
        181:getpmsg 182:putpmsg 183:afs_syscall 184:tuxcall 185:security 186:gettid 187:readahead 188:setxattr 
        189:lsetxattr 190:fsetxattr 191:getxattr 192:lgetxattr 193:fgetxattr 194:listxattr 195:llistxattr 
        196:flistxattr 197:removexattr 198:lremovexattr 199:fremovexattr 200:tkill 201:time 202:futex 
        203:sched_setaffinity 204:sched_getaffinity 205:set_thread_area 206:io_setup 207:io_destroy 208:io_getevents 
        209:io_submit 210:io_cancel 211:get_thread_area 212:lookup_dcookie 213:epoll_create 214:epoll_ctl_old 
        215:epoll_wait_old 216:remap_file_pages 217:getdents64 218:set_tid_address 219:restart_syscall 220:semtimedop 
        221:fadvise64 222:timer_create 223:timer_settime 224:timer_gettime 225:timer_getoverrun 226:timer_delete 
        227:clock_settime 228:clock_gettime 229:clock_getres 230:clock_nanosleep 231:exit_group 232:epoll_wait 
        233:epoll_ctl 234:tgkill 235:utimes 236:vserver 237:mbind 238:set_mempolicy 239:get_mempolicy 240:mq_open 
        241:mq_unlink 242:mq_timedsend 243:mq_timedreceive 244:mq_notify 245:mq_getsetattr 246:kexec_load 247:waitid 
        248:add_key 249:request_key 250:keyctl 251:ioprio_set 252:ioprio_get 253:inotify_init 254:inotify_add_watch 
        255:inotify_rm_watch 256:migrate_pages 257:openat 258:mkdirat 259:mknodat 260:fchownat 261:futimesat 
        262:newfstatat 263:unlinkat 264:renameat 265:linkat 266:symlinkat 267:readlinkat 268:fchmodat 269:faccessat 
        270:pselect6 271:ppoll 272:unshare 273:set_robust_list 274:get_robust_list 275:splice 276:tee 
        277:sync_file_range 278:vmsplice 279:move_pages 280:utimensat 281:epoll_pwait 282:signalfd 283:timerfd_create 
        284:eventfd 285:fallocate 286:timerfd_settime 287:timerfd_gettime 288:accept4 289:signalfd4 290:eventfd2 
        291:epoll_create1 292:dup3 293:pipe2 294:inotify_init1 295:preadv 296:pwritev 297:rt_tgsigqueueinfo 
        298:perf_event_open 299:recvmmsg 300:fanotify_init 301:fanotify_mark 302:prlimit64 303:name_to_handle_at 
        304:open_by_handle_at 305:clock_adjtime 306:syncfs 307:sendmmsg 308:setns 309:getcpu 310:process_vm_readv 
        311:process_vm_writev 312:kcmp 313:finit_module 314:sched_setattr 315:sched_getattr 316:renameat2 317:seccomp 
        318:getrandom 319:memfd_create 320:kexec_file_load 321:bpf 322:execveat 323:userfaultfd 324:membarrier 
        325:mlock2 326:copy_file_range 327:preadv2 328:pwritev2 329:pkey_mprotect 330:pkey_alloc 331:pkey_free 
        332:statx 333:io_pgetevents 334:rseq 424:pidfd_send_signal 425:io_uring_setup 426:io_uring_enter 
        427:io_uring_register 428:open_tree 429:move_mount 430:fsopen 431:fsconfig 432:fsmount 433:fspick 
        434:pidfd_open 435:clone3 436:close_range 437:openat2 438:pidfd_getfd 439:faccessat2 440:process_madvise 
        441:epoll_pwait2 442:mount_setattr 443:quotactl_fd 444:landlock_create_ruleset 445:landlock_add_rule 
        446:landlock_restrict_self 447:memfd_secret 448:process_mrelease 449:futex_waitv 450:set_mempolicy_home_node 
        """.split(separator: " ").map(String.init)
    static let byName: [String: Int] = {
        var table: [String: Int] = [:]
        for entry in names {
            let parts = entry.split(separator: ":")
            if parts.count == 2, let number = Int(parts[0]) { table[String(parts[1])] = number }
        }
        return table
    }()
    static func number(_ name: String) -> Int? { byName[name] }
    static func name(_ number: Int) -> String? {
        for (name, value) in byName where value == number { return name }
        return nil
    }

    /// strace 6.1's classes (its syscallent.h TM and TP flags).
    static let classes: [String: [String]] = [
        "memory": ["brk", "mmap", "munmap", "mprotect", "mremap", "msync", "mincore", "madvise", "shmat", "shmdt",
                   "mlock", "munlock", "mlockall", "munlockall", "remap_file_pages", "mbind", "set_mempolicy",
                   "get_mempolicy", "migrate_pages", "move_pages", "mlock2", "pkey_mprotect", "process_madvise",
                   "process_mrelease", "set_mempolicy_home_node", "memfd_secret"],
        "process": ["clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid",
                    "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal"],
    ]
}

/// Turns events into trace lines. Interim renderer: strace's line shapes around the decoder's
/// rendered arguments; replaced by module Syscalls' formats once they land.
final class TraceLineRenderer {
    enum PidPrefixStyle { case bracketed, column }
    private let format: Lessons.Trace.TraceFormat
    private let style: PidPrefixStyle
    private var live = 1
    private var everSeveral = false

    init(format: Lessons.Trace.TraceFormat, pidPrefixStyle: PidPrefixStyle) {
        self.format = format
        self.style = pidPrefixStyle
    }

    /// Keeps the process count current for an event that is not printed.
    func observe(_ event: TraceEvent) {
        switch event.kind {
        case .spawned: live += 1; everSeveral = true
        case .exit: live -= 1
        default: break
        }
    }

    func render(_ event: TraceEvent) -> String {
        if format == .jsonl { observe(event); return jsonLine(event) }
        // strace: "[pid N] " on stderr while several tracees live; "N " on every line of -o FILE with -f.
        var line: String
        switch style {
        case .bracketed: line = live > 1 ? "[pid \(pad(event.pid, 5))] " : ""
        case .column: line = everSeveral || live > 1 ? "\(event.pid)".padding(5) + " " : ""
        }
        switch event.kind {
        case .syscall(let call):
            line += "\(call.name)(\(call.renderedArguments))"
            if line.utf8.count < 40 { line += String(repeating: " ", count: 40 - line.utf8.count) }
            line += " = \(call.renderedReturn)\n"
        case .signal(let signal):
            line += "--- \(Self.signalName(signal.signal)) \(signal.rendered) ---\n"
        case .spawned:
            observe(event)
            return ""
        case .exit(let exit):
            switch exit {
            case .exited(let status): line += "+++ exited with \(status) +++\n"
            case .killed(let signal, let core): line += "+++ killed by \(Self.signalName(signal))\(core ? " (core dumped)" : "") +++\n"
            }
            observe(event)
        }
        return line
    }

    private func pad(_ value: Int32, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }

    private func jsonLine(_ event: TraceEvent) -> String {
        var fields = ["\"sequence\":\(event.sequence)", "\"pid\":\(event.pid)", "\"process\":\(event.processID)",
                      "\"phase\":\"\(event.phase.rawValue)\""]
        switch event.kind {
        case .syscall(let call):
            fields += ["\"kind\":\"syscall\"", "\"name\":\(jsonString(call.name))", "\"number\":\(call.number)",
                       "\"args\":[\(call.arguments.map(String.init).joined(separator: ","))]",
                       "\"rendered_args\":\(jsonString(call.renderedArguments))",
                       "\"return\":\(call.returnValue.map(String.init) ?? "null")",
                       "\"rendered_return\":\(jsonString(call.renderedReturn))",
                       "\"errno\":\(call.errno.map(String.init) ?? "null")"]
        case .signal(let signal):
            fields += ["\"kind\":\"signal\"", "\"signal\":\(jsonString(Self.signalName(signal.signal)))",
                       "\"code\":\(signal.code)", "\"rendered\":\(jsonString(signal.rendered))"]
        case .spawned(let child, let isThread):
            fields += ["\"kind\":\"spawned\"", "\"child\":\(child)", "\"thread\":\(isThread)"]
        case .exit(let exit):
            switch exit {
            case .exited(let status): fields += ["\"kind\":\"exit\"", "\"status\":\(status)"]
            case .killed(let signal, let core):
                fields += ["\"kind\":\"exit\"", "\"signal\":\(jsonString(Self.signalName(signal))), \"core_dumped\":\(core)"]
            }
        }
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    private func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16) }
                else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    static func signalName(_ number: Int32) -> String {
        let names = ["SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
                     "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
                     "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
                     "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"]
        if number >= 1 && Int(number) <= names.count { return names[Int(number) - 1] }
        return number >= 34 ? "SIGRT_\(number - 34)" : "SIG\(number)"
    }
}

private extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
