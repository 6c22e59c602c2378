package sqlite

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/credolabs/credo/store"
)

// engineError maps SQLite's errors onto the store's sentinels: a unique or primary key
// violation is store.ErrDuplicate. Other errors pass through.
func engineError(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w (%s)", store.ErrDuplicate, se.Error())
		}
	}
	return err
}
