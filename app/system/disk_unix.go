//go:build linux || darwin || freebsd || openbsd || netbsd

package system

import "syscall"

// diskSpace is the space free for an unprivileged process, and the size, of the file
// system holding dir.
func diskSpace(dir string) (free, total int64, ok bool) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), int64(st.Blocks) * int64(st.Bsize), true
}
