if let line = readLine() { print(line) }
