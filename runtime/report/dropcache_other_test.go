//go:build !linux

package report

// dropCache cannot evict one file's pages here; cold runs then read from the page cache.
func dropCache(string) bool { return false }
