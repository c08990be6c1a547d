-- 维护/测试: until when a device is under maintenance (its alerts are not made incidents) and why; NULL when not.
ALTER TABLE devices ADD COLUMN maintenance_until INTEGER NULL;
ALTER TABLE devices ADD COLUMN maintenance_note TEXT NULL;
