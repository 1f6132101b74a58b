package settings

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Box encrypts secrets stored in the database (the SMTP password) with a key kept in the
// data folder, so a copy of the database alone does not reveal them.
type Box struct {
	aead cipher.AEAD
	key  []byte
}

// OpenBox loads the key at <dataDir>/secret.key, creating it on first use.
func OpenBox(dataDir string) (*Box, error) {
	path := filepath.Join(dataDir, "secret.key")
	key, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
		err = os.WriteFile(path, key, 0o600)
	}
	if err != nil {
		return nil, fmt.Errorf("settings: secret key %s: %w", path, err)
	}
	if len(key) != 32 {
		return nil, fmt.Errorf("settings: secret key %s: want 32 bytes, found %d", path, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead, key: key}, nil
}

// Key derives from the secret key a key for one purpose (such as signing the device
// cookie), so that no two uses share a key and the file's key itself signs nothing.
func (b *Box) Key(purpose string) []byte {
	m := hmac.New(sha256.New, b.key)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}

// Seal encrypts plain; the empty string stays empty.
func (b *Box) Seal(plain string) string {
	if plain == "" {
		return ""
	}
	nonce := make([]byte, b.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return base64.StdEncoding.EncodeToString(b.aead.Seal(nonce, nonce, []byte(plain), nil))
}

// Open decrypts what Seal produced.
func (b *Box) Open(sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < b.aead.NonceSize() {
		return "", errors.New("settings: malformed secret")
	}
	plain, err := b.aead.Open(nil, raw[:b.aead.NonceSize()], raw[b.aead.NonceSize():], nil)
	if err != nil {
		return "", errors.New("settings: secret does not decrypt: was secret.key replaced?")
	}
	return string(plain), nil
}
