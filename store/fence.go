package store

// Actor is who a request acts as. It is built once per request from the session, after
// checking at request time that the account is active; content reads take it and scope
// their SQL with it.
type Actor struct {
	UserID string
	Kind   string // KindEmployee or KindExternal
	Admin  bool
	system bool
}

// Kinds of people.
const (
	KindEmployee = "employee"
	KindExternal = "external"
)

// System is the actor of scheduled jobs and the mailer, which must see everything. It
// is explicit so that a forgotten actor (the zero value) sees nothing.
func System() Actor { return Actor{system: true} }

// IsSystem reports whether a is the System actor.
func (a Actor) IsSystem() bool { return a.system }

// Anonymous reports whether a is nobody: the zero value.
func (a Actor) Anonymous() bool { return !a.system && a.UserID == "" }

// ActorFor builds the actor of an active user.
func ActorFor(u User) Actor {
	return Actor{UserID: u.ID, Kind: u.Kind, Admin: u.Admin && u.Kind == KindEmployee}
}

// visibleUserCond is the condition under which the actor may see the user whose id is
// in column col. Until groups exist (the fence issue) an actor sees themselves, an
// administrator or the system sees everyone, and nobody else sees anyone.
func (a Actor) visibleUserCond(col string) (string, []any) {
	switch {
	case a.system || a.Admin:
		return "1", nil
	case a.UserID == "":
		return "0", nil
	default:
		return col + " = ?", []any{a.UserID}
	}
}
