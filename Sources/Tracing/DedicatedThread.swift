// A plain pthread for the ptrace loop: ptrace requests only work from the thread that
// attached, so spawning and the whole loop must stay on one OS thread (never a Swift task).

#if canImport(Glibc)
import Glibc
#endif

private final class ThreadBody {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// A started thread; `join()` waits for its body to return.
struct DedicatedThread {
    private var thread: pthread_t

    /// Starts `body` on a new thread; nil if the thread could not be created.
    static func start(_ body: @escaping () -> Void) -> DedicatedThread? {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let body = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
            body.body()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            return nil
        }
        return DedicatedThread(thread: thread)
    }

    func join() {
        pthread_join(thread, nil)
    }
}
