// The framing of worker messages (WorkerMessage.swift) on a Unix socket: a 4-byte big-endian
// length, then the message as JSON.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

enum WorkerFrame {
    /// Bumped whenever a message changes: a grader and a worker built apart must agree.
    static let version = 1
    /// Bigger frames are refused (a task carries at most a 256 KiB submission; a result is capped text).
    static let maximumBytes = 64 << 20

    static func encode(_ message: WorkerMessage) throws -> [UInt8] {
        let json = try JSONEncoder().encode(message)
        guard json.count <= maximumBytes else { throw WorkerError("a worker message of \(json.count) bytes is too large") }
        let length = UInt32(json.count)
        return [UInt8(length >> 24), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff), UInt8(length & 0xff)] + json
    }

    static func decode(_ payload: ArraySlice<UInt8>) throws -> WorkerMessage {
        try JSONDecoder().decode(WorkerMessage.self, from: Data(payload))
    }

    /// Frames arriving in pieces on a non-blocking socket.
    struct Reader {
        private var buffer: [UInt8] = []

        mutating func append(_ bytes: ArraySlice<UInt8>) { buffer.append(contentsOf: bytes) }

        /// The next whole message, nil when more bytes are needed.
        mutating func next() throws -> WorkerMessage? {
            guard buffer.count >= 4 else { return nil }
            let length = Int(buffer[0]) << 24 | Int(buffer[1]) << 16 | Int(buffer[2]) << 8 | Int(buffer[3])
            guard length <= maximumBytes else { throw WorkerError("a worker sent a frame of \(length) bytes") }
            guard buffer.count >= 4 + length else { return nil }
            let message = try decode(buffer[4..<(4 + length)])
            buffer.removeFirst(4 + length)
            return message
        }
    }

    /// Sends all of `bytes` (blocking; MSG_NOSIGNAL: a dead peer is an error, not SIGPIPE).
    static func send(_ bytes: [UInt8], to fd: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw WorkerError("cannot send to the worker: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Reads one whole message (blocking); nil at end of file before a frame began.
    static func receive(from fd: Int32) throws -> WorkerMessage? {
        guard let header = try readExactly(4, from: fd) else { return nil }
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        guard length <= maximumBytes else { throw WorkerError("a frame of \(length) bytes") }
        guard let payload = try readExactly(length, from: fd) else { throw WorkerError("the grader closed the socket mid-frame") }
        return try decode(payload[...])
    }

    private static func readExactly(_ count: Int, from fd: Int32) throws -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, count - got) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw WorkerError("cannot read from the grader: \(String(cString: strerror(errno)))") }
            if n == 0 {
                if got == 0 { return nil }
                throw WorkerError("the grader closed the socket mid-frame")
            }
            got += n
        }
        return bytes
    }
}
