package store

import (
	"context"
	"fmt"
)

// SetupDraft returns the wizard's saved steps, by step name, as the JSON each step stored.
func (s *Store) SetupDraft(ctx context.Context) (map[string]string, error) {
	return keyValues(ctx, s.read, `SELECT step, data FROM setup_draft`)
}

// PutSetupStep saves one step of the wizard's draft.
func (t *Tx) PutSetupStep(ctx context.Context, step, data string) error {
	_, err := t.exec(ctx, `INSERT INTO setup_draft (step, data, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (step) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
		step, data, unix(t.now))
	if err != nil {
		return fmt.Errorf("store: setup step %s: %w", step, err)
	}
	return nil
}

// SetupDraft returns the draft inside a transaction, so Finish applies exactly what it read.
func (t *Tx) SetupDraft(ctx context.Context) (map[string]string, error) {
	return keyValues(ctx, t.tx, `SELECT step, data FROM setup_draft`)
}

// ClearSetupDraft removes the draft once the wizard has been applied.
func (t *Tx) ClearSetupDraft(ctx context.Context) error {
	_, err := t.exec(ctx, `DELETE FROM setup_draft`)
	return err
}
