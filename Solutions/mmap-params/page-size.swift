#if canImport(Glibc)
import Glibc
#endif

print("sysconf=\(sysconf(Int32(_SC_PAGESIZE))) getpagesize=\(getpagesize())")
