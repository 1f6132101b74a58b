package isolation_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"annex/app/apptest"
	"annex/app/files"
	"annex/store"
)

// world is a random company as the oracle knows it: plain Go values, no SQL.
type world struct {
	users       []store.User
	groups      []store.Group
	members     []membership
	topics      []string
	invites     []invitation
	reviews     []review
	tasks       []task
	comments    []comment
	checklist   []checkItem
	notices     []notice
	drive       []driveItem
	rights      map[string]store.DriveRights // by group id + "/" + folder id ("" for the root)
	driveShares map[string]map[string]int    // by item id, then user id: the level shared at
	links       []driveLink
	attached    map[string]map[string]string // by task id, then drive item id: who attached it
	extranetOff bool
}

// acceptedFrom is the network address the world's invitations were accepted from.
const acceptedFrom = "203.0.113.7"

// invitation is an invitation by e-mail as the oracle knows it.
type invitation struct{ id, group, inviter, state, by string }

type membership struct{ group, user, role, state string }

// review is an access review as the oracle knows it.
type review struct {
	id, user, reviewer string
	answered           bool
}

// build creates a random company in env through the store and records it.
func build(t testing.TB, env *apptest.Env, rng *rand.Rand, admin store.User) *world {
	ctx := context.Background()
	w := &world{users: []store.User{admin}}
	dir, err := files.Open(env.Config.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	err = env.Store.Tx(ctx, func(tx *store.Tx) error {
		for i := range rng.IntN(3) {
			tp := store.Topic{Name: fmt.Sprintf("Topic %d", i)}
			if err := tx.PutTopic(ctx, &tp); err != nil {
				return err
			}
			w.topics = append(w.topics, tp.ID)
		}
		nEmp, nExt := 2+rng.IntN(5), 1+rng.IntN(4)
		for i := range nEmp + nExt {
			u := store.User{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@example.com", i),
				Kind: store.KindEmployee, Active: rng.IntN(6) != 0, PasswordHash: "x", Locale: "en"}
			if i >= nEmp {
				u.Kind, u.Name = store.KindExternal, fmt.Sprintf("Гость %d", i) // Cyrillic names too
			} else if rng.IntN(5) == 0 {
				u.Admin = true
			}
			if err := tx.CreateUser(ctx, &u); err != nil {
				return err
			}
			if u.Kind == store.KindExternal && rng.IntN(2) == 0 { // some have an access date
				until := tx.Now().Add(time.Duration(2+rng.IntN(60)) * 24 * time.Hour)
				if err := tx.SetAccessExpiry(ctx, u.ID, &until); err != nil {
					return err
				}
				u.AccessExpiresAt = &until
			}
			if rng.IntN(2) == 0 { // some have a photo
				if u.PhotoID, err = dir.Put(strings.NewReader("jpeg of " + u.Email)); err != nil {
					return err
				}
				if _, err := tx.SetPhoto(ctx, u.ID, u.PhotoID); err != nil {
					return err
				}
			}
			w.users = append(w.users, u)
		}
		for i := range 1 + rng.IntN(5) {
			g := store.Group{Name: fmt.Sprintf("Group %d", i), Archived: rng.IntN(4) == 0,
				InvitePolicy: []string{store.InviteOwner, store.InviteModerators, store.InviteMembers}[rng.IntN(3)]}
			if len(w.topics) > 0 && rng.IntN(2) == 0 {
				g.TopicID = w.topics[rng.IntN(len(w.topics))]
			}
			g.ExternalTasks = []string{store.ExternalTasksAll, store.ExternalTasksInvolved}[rng.IntN(2)]
			if rng.IntN(4) == 0 {
				g.Tools = []string{"feed", "drive"}
			}
			switch rng.IntN(4) {
			case 0:
				g.Kind, g.Visibility = store.GroupExtranet, store.VisibilitySecret
			default:
				g.Kind = store.GroupInternal
				g.Visibility = []string{store.VisibilityOpen, store.VisibilityClosed, store.VisibilitySecret}[rng.IntN(3)]
			}
			if err := tx.CreateGroup(ctx, &g); err != nil {
				return err
			}
			w.groups = append(w.groups, g)
			hasOwner := false
			for _, u := range w.users {
				if rng.IntN(3) != 0 || (u.Kind == store.KindExternal && g.Kind == store.GroupInternal) {
					continue
				}
				m := membership{group: g.ID, user: u.ID, role: store.RoleMember,
					state: []string{store.MemberActive, store.MemberActive, store.MemberInvited, store.MemberRequested}[rng.IntN(4)]}
				if u.Kind == store.KindEmployee && rng.IntN(4) == 0 {
					m.role = store.RoleModerator
				}
				if u.Kind == store.KindEmployee && m.state == store.MemberActive && !hasOwner {
					m.role, hasOwner = store.RoleOwner, true
				}
				if err := tx.PutMembership(ctx, m.group, m.user, m.role, m.state); err != nil {
					return err
				}
				w.members = append(w.members, m)
			}
			// Invitations into the group by some of its employees, in every state.
			for _, m := range w.members {
				if m.group != g.ID || w.user(m.user).Kind != store.KindEmployee || rng.IntN(2) == 0 {
					continue
				}
				v := store.Invitation{Email: fmt.Sprintf("inv%d@client.example", rng.IntN(1000)), Kind: store.KindExternal,
					GroupID: g.ID, InviterID: m.user, Locale: "en", ValidHours: 24}
				if err := tx.CreateInvitation(ctx, &v, []byte(store.NewID())); err != nil {
					return err
				}
				state := []string{store.InvitePending, store.InvitePending, store.InviteRevoked, store.InviteDeclined,
					store.InviteAccepted}[rng.IntN(5)]
				var accepter string
				switch state {
				case store.InvitePending:
				case store.InviteAccepted:
					// Accepted by one of the group's external members, from an address that is
					// for administrators' eyes only.
					var by string
					for _, n := range w.members {
						if n.group == g.ID && w.user(n.user).Kind == store.KindExternal {
							by = n.user
						}
					}
					if by == "" {
						state = store.InvitePending
						break
					}
					if err := tx.AcceptInvitation(ctx, v.ID, by, acceptedFrom); err != nil {
						return err
					}
					accepter = by
				default:
					if err := tx.CloseInvitation(ctx, v.ID, state); err != nil {
						return err
					}
				}
				w.invites = append(w.invites, invitation{id: v.ID, group: g.ID, inviter: m.user, state: state, by: accepter})
			}
		}
		// Access reviews of some external users, each asked of some employee (responsible
		// for her or not: the reviewer may have lost the right since), some answered.
		for _, u := range w.users {
			if u.Kind != store.KindExternal || rng.IntN(2) == 0 {
				continue
			}
			reviewer := w.users[rng.IntN(len(w.users))]
			if reviewer.Kind != store.KindEmployee {
				continue
			}
			id, err := tx.CreateReview(ctx, u.ID, reviewer.ID, 7*24*time.Hour)
			if err != nil {
				return err
			}
			rv := review{id: id, user: u.ID, reviewer: reviewer.ID}
			if rng.IntN(3) == 0 {
				if err := tx.AnswerReview(ctx, id, store.ReviewKeep, reviewer.ID); err != nil {
					return err
				}
				rv.answered = true
			}
			w.reviews = append(w.reviews, rv)
		}
		if err := buildTasks(ctx, tx, rng, w); err != nil {
			return err
		}
		return buildDrive(ctx, tx, dir, rng, w)
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// shares reports whether a and b both hold an active membership in one group
// (PRODUCT.md §1: pending invitations and requests do not count; archived groups do).
func (w *world) shares(a, b string) bool {
	for _, m := range w.members {
		if m.user != a || m.state != store.MemberActive {
			continue
		}
		for _, n := range w.members {
			if n.group == m.group && n.user == b && n.state == store.MemberActive {
				return true
			}
		}
	}
	return false
}

// sees is the oracle for people (PRODUCT.md §1 and §2): administrators see everyone;
// everyone sees themselves and those they share a group with, deactivated or not;
// employees also see the (active) employee directory.
func (w *world) sees(viewer, target store.User) bool {
	switch {
	case viewer.Admin:
		return true
	case viewer.ID == target.ID:
		return true
	case w.shares(viewer.ID, target.ID):
		return true
	case viewer.Kind == store.KindEmployee && target.Kind == store.KindEmployee && target.Active:
		return true
	}
	return false
}

func (w *world) membership(group, user string) *membership {
	for i, m := range w.members {
		if m.group == group && m.user == user {
			return &w.members[i]
		}
	}
	return nil
}

// managesAccess says whether a sees and sets u's access date (docs/access-expiry.md):
// an administrator, or an employee who invited her (an invitation she accepted).
func (w *world) managesAccess(a, u store.User) bool {
	if a.Admin {
		return true
	}
	if a.Kind != store.KindEmployee {
		return false
	}
	for _, v := range w.invites {
		if v.state == store.InviteAccepted && v.by == u.ID && v.inviter == a.ID {
			return true
		}
	}
	return false
}

// readsReview: administrators read every review; anyone else those asked of them about a
// person they may still see.
func (w *world) readsReview(a store.User, r review) bool {
	return a.Admin || r.reviewer == a.ID && w.sees(a, w.user(r.user))
}

// responsibleFor: an active employee who invited u (an invitation she accepted) or owns
// a group she is an active member of, and who still shares an active group with her.
func (w *world) responsibleFor(a, u store.User) bool {
	if !a.Active || a.Kind != store.KindEmployee || !w.shares(a.ID, u.ID) {
		return false
	}
	for _, v := range w.invites {
		if v.state == store.InviteAccepted && v.by == u.ID && v.inviter == a.ID {
			return true
		}
	}
	for _, m := range w.members {
		if m.user == a.ID && m.role == store.RoleOwner && m.state == store.MemberActive {
			if n := w.membership(m.group, u.ID); n != nil && n.state == store.MemberActive {
				return true
			}
		}
	}
	return false
}

func (w *world) user(id string) store.User {
	for _, u := range w.users {
		if u.ID == id {
			return u
		}
	}
	return store.User{}
}

// seesGroup is the oracle for groups (PRODUCT.md §3): administrators see all; members
// and invitees see theirs; employees also see open and closed internal groups.
func (w *world) seesGroup(viewer store.User, g store.Group) bool {
	if viewer.Admin {
		return true
	}
	if m := w.membership(g.ID, viewer.ID); m != nil && (m.state == store.MemberActive || m.state == store.MemberInvited) {
		return true
	}
	return viewer.Kind == store.KindEmployee && g.Kind == store.GroupInternal &&
		(g.Visibility == store.VisibilityOpen || g.Visibility == store.VisibilityClosed)
}

// manages: administrators, and the group's active owner and moderators, see pending
// memberships.
func (w *world) manages(viewer store.User, g store.Group) bool {
	if viewer.Admin {
		return true
	}
	m := w.membership(g.ID, viewer.ID)
	return m != nil && m.state == store.MemberActive && (m.role == store.RoleOwner || m.role == store.RoleModerator)
}

// membersSeen lists the members of g the viewer is shown, and how many active ones.
func (w *world) membersSeen(viewer store.User, g store.Group) (ids []string, active int) {
	for _, m := range w.members {
		if m.group != g.ID || !w.sees(viewer, w.user(m.user)) {
			continue
		}
		if m.state == store.MemberActive {
			active++
		}
		if m.state == store.MemberActive || w.manages(viewer, g) {
			ids = append(ids, m.user)
		}
	}
	return ids, active
}

// mayInvite: administrators, and employees whose active role the group's invite
// policy names.
func (w *world) mayInvite(viewer store.User, g store.Group) bool {
	if viewer.Admin {
		return true
	}
	m := w.membership(g.ID, viewer.ID)
	if viewer.Kind != store.KindEmployee || m == nil || m.state != store.MemberActive {
		return false
	}
	switch g.InvitePolicy {
	case store.InviteMembers:
		return true
	case store.InviteModerators:
		return m.role == store.RoleOwner || m.role == store.RoleModerator
	}
	return m.role == store.RoleOwner
}

// needsOwner: no active account holds the owner's role.
func (w *world) needsOwner(g store.Group) bool {
	for _, m := range w.members {
		if m.group == g.ID && m.role == store.RoleOwner && m.state == store.MemberActive && w.user(m.user).Active {
			return false
		}
	}
	return true
}

// seesInvitation (docs/invitations.md): administrators; the group's active owner and
// moderators; and the inviter, only while they may invite into the group now.
func (w *world) seesInvitation(viewer store.User, v invitation) bool {
	if viewer.Admin {
		return true
	}
	for _, g := range w.groups {
		if g.ID == v.group {
			return w.manages(viewer, g) || (viewer.ID == v.inviter && w.mayInvite(viewer, g))
		}
	}
	return false
}

func (w *world) group(id string) store.Group {
	for _, g := range w.groups {
		if g.ID == id {
			return g
		}
	}
	return store.Group{}
}
