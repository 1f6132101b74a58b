package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Settings returns every database setting. Settings are company-wide configuration,
// not content, so they take no actor; who may change them is decided by the caller.
func (s *Store) Settings(ctx context.Context) (map[string]string, error) {
	return keyValues(ctx, s.read, `SELECT key, value FROM settings`)
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// keyValues runs a two-column text query into a map.
func keyValues(ctx context.Context, q queryer, query string) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", query, err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: %s: %w", query, err)
		}
		m[k] = v
	}
	return m, rows.Err()
}

// SetSettings writes the given settings.
func (t *Tx) SetSettings(ctx context.Context, kv map[string]string) error {
	for k, v := range kv {
		if _, err := t.exec(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k, v); err != nil {
			return fmt.Errorf("store: setting %s: %w", k, err)
		}
	}
	return nil
}

// Setting returns one setting inside a transaction ("" when unset).
func (t *Tx) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := t.tx.QueryRowContext(ctx, `SELECT coalesce((SELECT value FROM settings WHERE key = ?), '')`, key).Scan(&v)
	if err != nil {
		return "", fmt.Errorf("store: setting %s: %w", key, err)
	}
	return v, nil
}
