package report

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCache asks the kernel to forget the cached pages of the database's files, so the
// next open reads them from disk as a freshly started server would after a while. It
// touches only these files, never the machine's whole page cache.
func dropCache(path string) bool {
	ok := true
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
			ok = false
		}
		_ = f.Close()
	}
	return ok
}
