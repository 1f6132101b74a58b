-- View as (PRODUCT.md §8, docs/view-as.md): an administrator's session that shows the
-- application as one external user sees it, read-only. The administrator's own session
-- carries whom it views and since when; the external user's sessions are not touched.
ALTER TABLE sessions ADD COLUMN view_as TEXT;
ALTER TABLE sessions ADD COLUMN view_as_since INTEGER;
