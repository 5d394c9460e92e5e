// One trace event → one JSON object on one line (no trailing newline). Fields: docs/trace-format.md.

public enum JSONLFormat {
    public static func line(_ event: TraceEvent) -> String {
        var o = JSONObject()
        o.int("seq", event.sequence)
        o.int("pid", Int(event.pid))
        o.int("tgid", Int(event.processID))
        o.string("phase", event.phase.rawValue)
        switch event.kind {
        case .syscall(let call):
            o.string("kind", "syscall")
            o.string("name", call.name)
            o.int("nr", call.number)
            o.raw("args", "[" + call.arguments.map { String($0) }.joined(separator: ",") + "]")
            o.string("rendered_args", call.renderedArguments)
            o.raw("arguments", "[" + call.decodedArguments.map(argument).joined(separator: ",") + "]")
            if let value = call.returnValue { o.raw("return", String(value)) } else { o.raw("return", "null") }
            o.string("rendered_return", call.renderedReturn)
            o.raw("injected", call.injected ? "true" : "false")
            if let errno = call.errno {
                o.string("errno", ErrnoTable.name(of: errno) ?? String(errno))
                o.int("errno_number", Int(errno))
            } else {
                o.raw("errno", "null")
            }
            if let data = call.data { o.string("data_base64", base64(data)) }
        case .signal(let signal):
            o.string("kind", "signal")
            o.string("signal", SignalTable.name(of: signal.signal))
            o.int("signo", Int(signal.signal))
            o.int("si_code", Int(signal.code))
            if let code = SignalTable.codeName(signal.code, signal: signal.signal) { o.string("si_code_name", code) }
            if let address = signal.faultAddress { o.raw("fault_address", String(address)) }
            if let pid = signal.senderPid { o.int("sender_pid", Int(pid)) }
            if let uid = signal.senderUid { o.int("sender_uid", Int(uid)) }
            if let status = signal.childStatus { o.int("child_status", Int(status)) }
            o.string("rendered", signal.rendered)
        case .libraryCall(let call):
            o.string("kind", "library_call")
            o.string("function", call.function)
            o.raw("args", "[" + call.arguments.map { String($0) }.joined(separator: ",") + "]")
            o.string("rendered_args", call.renderedArguments)
            if let value = call.returnValue { o.raw("return", String(value)) }
            if let text = call.renderedReturn { o.string("rendered_return", text) }
            o.raw("return_address", String(call.returnAddress))
        case .spawned(let child, let isThread):
            o.string("kind", "spawned")
            o.int("child", Int(child))
            o.raw("thread", isThread ? "true" : "false")
        case .exit(let exit):
            o.string("kind", "exit")
            switch exit {
            case .exited(let status):
                o.int("exit_status", Int(status))
            case .killed(let signal, let core):
                o.string("killed_by", SignalTable.name(of: signal))
                o.int("signo", Int(signal))
                o.raw("core_dumped", core ? "true" : "false")
            }
        }
        if case .spawned = event.kind {} else { o.string("strace", StraceFormat.line(event, pidPrefix: .none)) }
        return o.finish()
    }

    /// One printed argument as the decoder typed it: `{"register":2,"kind":"flags",
    /// "value":3,"text":"PROT_READ|PROT_WRITE"}` (`value` the register, unsigned).
    static func argument(_ argument: SyscallArgument) -> String {
        var o = JSONObject()
        o.int("register", argument.register)
        o.string("kind", kindName(argument.kind))
        o.raw("value", String(argument.value))
        o.string("text", argument.text)
        return o.finish()
    }

    /// The names a reader of the JSON sees, spelled here so that renaming a case cannot change them.
    static func kindName(_ kind: SyscallArgument.Kind) -> String {
        switch kind {
        case .number: return "number"
        case .address: return "address"
        case .fd: return "fd"
        case .flags: return "flags"
        case .string: return "string"
        case .structure: return "structure"
        case .raw: return "raw"
        }
    }

    /// A JSON string literal (RFC 8259 escapes).
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index], b1 = index + 1 < bytes.count ? bytes[index + 1] : 0, b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0xf) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

private struct JSONObject {
    private var text = "{"
    private var first = true
    private mutating func key(_ name: String) {
        if !first { text += "," }
        first = false
        text += "\"" + name + "\":"
    }
    mutating func int(_ name: String, _ value: Int) { key(name); text += String(value) }
    mutating func string(_ name: String, _ value: String) { key(name); text += JSONLFormat.quote(value) }
    mutating func raw(_ name: String, _ json: String) { key(name); text += json }
    func finish() -> String { text + "}" }
}
