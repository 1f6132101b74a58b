package apptest

import (
	"encoding/json"
	"testing"
)

// ActivityRow is one row of the activity log as Admin → Activity reads it.
type ActivityRow struct {
	Action string `json:"action"`
	Actor  struct {
		ID   string `json:"id"`
		Name string `json:"name"`
		Kind string `json:"kind"`
	} `json:"actor"`
	Object struct {
		Type    string `json:"type"`
		ID      string `json:"id"`
		Label   string `json:"label"`
		GroupID string `json:"groupId"`
	} `json:"object"`
	Details map[string]string `json:"details"`
}

// Activity reads the activity log through GET /api/v1/admin/activity as c, an
// administrator, filtered by query ("action=admin.user_added"): the newest 100 rows,
// newest first, and how many match in all.
func (c *Client) Activity(t testing.TB, query string) (rows []ActivityRow, total int) {
	t.Helper()
	var p struct {
		Items []ActivityRow `json:"items"`
		Total int           `json:"total"`
	}
	res := c.Do("GET", "/api/v1/admin/activity?perPage=100&"+query, nil).Must(t, 200)
	if err := json.Unmarshal(res.Body, &p); err != nil {
		t.Fatal(err)
	}
	return p.Items, p.Total
}
