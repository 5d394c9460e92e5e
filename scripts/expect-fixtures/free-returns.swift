let size = 1024 * 1024
let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 1)
block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
block.deallocate()
print("done")
