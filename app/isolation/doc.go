// Package isolation holds the randomised isolation test: random companies, every actor,
// every operation of the OpenAPI document, each answer compared with an oracle written
// independently of the store and its fence (PRODUCT.md §1 is the oracle's only source).
package isolation
