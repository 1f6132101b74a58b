-- A picture's preview (docs/drive.md, "Previews"), made when first asked for: the id of a
-- small JPEG in the files folder; '' not made yet, '-' none can be made (not a picture the
-- server decodes, or too large).
ALTER TABLE drive_versions ADD COLUMN thumb TEXT NOT NULL DEFAULT '';
