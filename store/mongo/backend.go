package mongo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/credolabs/credo/store"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/mongo/options"
	"go.mongodb.org/mongo-driver/mongo/readpref"
)

// DefaultDatabase is the database used when Config.Database is empty.
const DefaultDatabase = "credo"

// Config says where the backend keeps its data.
type Config struct {
	// URI is the mongodb:// or mongodb+srv:// connection string. Required.
	URI string
	// Database is the database holding every collection; empty means DefaultDatabase.
	Database string
}

// Backend is a store.Backend on MongoDB. It is safe for concurrent use.
type Backend struct {
	client *mongo.Client
	db     *mongo.Database
	caps   *capabilities

	mu    sync.Mutex
	kinds map[string]bool // MongoDB collections whose base index exists
}

// Open connects to the deployment, checks that it answers, and learns whether it runs
// multi-document transactions.
func Open(ctx context.Context, cfg Config) (*Backend, error) {
	if cfg.URI == "" {
		return nil, fmt.Errorf("open mongo: uri is empty: %w", ErrConfig)
	}
	if cfg.Database == "" {
		cfg.Database = DefaultDatabase
	}
	client, err := mongo.Connect(ctx, options.Client().ApplyURI(cfg.URI))
	if err != nil {
		return nil, fmt.Errorf("open mongo: %w", err)
	}
	b := &Backend{client: client, db: client.Database(cfg.Database), kinds: map[string]bool{}}
	tx, err := probeTransactions(ctx, b.db)
	if err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("open mongo: %w", err)
	}
	b.caps = newCapabilities(tx)
	return b, nil
}

// Scope returns the handle of one tenant.
func (b *Backend) Scope(tenant string) (store.Scope, error) {
	if err := store.CheckScope(tenant); err != nil {
		return nil, err
	}
	return &scope{b: b, tenant: tenant}, nil
}

// Ping reports whether the primary answers.
func (b *Backend) Ping(ctx context.Context) error {
	if err := b.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("ping mongo: %w", err)
	}
	return nil
}

// Close disconnects from the deployment.
func (b *Backend) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := b.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("close mongo: %w", err)
	}
	return nil
}

// Transactions reports whether WithTx runs inside a multi-document transaction on this
// deployment.
func (b *Backend) Transactions() bool { return b.caps.tx }

// ensureKind creates the unique (t, c, i) index of a MongoDB collection the first time
// this process uses it. Creating an index is not allowed inside a transaction, so it
// runs outside the caller's session.
func (b *Backend) ensureKind(ctx context.Context, kind string) error {
	return b.ensureBase(ctx, kind, true)
}

// ensureBase creates the (t, c, i) index of a MongoDB collection once per process.
func (b *Backend) ensureBase(ctx context.Context, kind string, unique bool) error {
	b.mu.Lock()
	done := b.kinds[kind]
	b.mu.Unlock()
	if done {
		return nil
	}
	_, err := b.db.Collection(kind).Indexes().CreateOne(withoutSession(ctx), mongo.IndexModel{
		Keys:    bson.D{{Key: "t", Value: 1}, {Key: "c", Value: 1}, {Key: "i", Value: 1}},
		Options: options.Index().SetName("t_c_i").SetUnique(unique),
	})
	if err != nil {
		return fmt.Errorf("create base index of %s: %w", kind, err)
	}
	b.mu.Lock()
	b.kinds[kind] = true
	b.mu.Unlock()
	return nil
}

var _ store.Backend = (*Backend)(nil)
