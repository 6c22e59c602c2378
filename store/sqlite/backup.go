package sqlite

import (
	"context"
	"fmt"
	"os"
)

// Backup writes a consistent, compacted copy of the database to path (VACUUM INTO);
// path must not exist yet. Reads carry on meanwhile and writes wait for it. The copy
// opens with Open like any database file.
func (b *Backend) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup to %s: file exists", path)
	}
	err := b.exclusive(ctx, func() error {
		_, err := b.wconn.ExecContext(ctx, "VACUUM INTO ?", path)
		return err
	})
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}
