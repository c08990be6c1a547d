-- A confirmed fire renews the open one of its building (whichever detectors, on whichever host, confirmed it): that
-- lookup is by building, beside the unique open (device, type) index every other alert's lookup uses.
CREATE INDEX ix_incidents_open_building ON incidents (building_id, type) WHERE state NOT IN ('closed', 'cancelled');
