-- H2 stores its whole file each time an identity runs out of cached values (32 by default); with
-- two ids per status event (outbox and history) that was a tenth of the runtime's CPU. H2 keeps one
-- cache per database, so ids still follow the order they are taken. PostgreSQL caches per session,
-- which would let a later event of an order take a lower id than an earlier one and be published
-- first: there the cache stays 1 (the placeholder is set by Database.open).
alter table status_outbox alter column event_id set cache ${eventIdCache};
alter table order_event alter column event_id set cache ${eventIdCache};
