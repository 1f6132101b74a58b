package request_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"annex/app/apperr"
	"annex/app/request"
)

// Each person has their own places; a release frees exactly one, however often it is
// called, and a refusal says when to try again.
func TestUploadsAdmitAFewBodiesPerPerson(t *testing.T) {
	u := request.NewUploads(time.Second, 2)
	r1, err1 := u.Admit("anna")
	r2, err2 := u.Admit("anna")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	_, err := u.Admit("anna")
	var e *apperr.Error
	if !errors.As(err, &e) || e.Status != http.StatusTooManyRequests || e.Code != "uploads_busy" || e.RetryAfter <= 0 {
		t.Fatalf("third body: %v", err)
	}
	if r, err := u.Admit("boris"); err != nil {
		t.Fatalf("another person is refused: %v", err)
	} else {
		r()
	}
	r1()
	r1() // a second call frees nothing more
	if u.Busy("anna") != 1 {
		t.Fatalf("busy after one release (twice): %d, want 1", u.Busy("anna"))
	}
	r3, err := u.Admit("anna")
	if err != nil {
		t.Fatalf("a freed place is not given again: %v", err)
	}
	r2()
	r3()
	if u.Busy("anna") != 0 || u.Busy("boris") != 0 {
		t.Errorf("places left taken: %d %d", u.Busy("anna"), u.Busy("boris"))
	}
}
