-- Intake: the one OPEN bundle of a batch and payer is found by open_key (set only while the
-- bundle is OPEN; NULLs never collide), so competing consumers cannot open two.
alter table bundle add column open_key varchar(400);
alter table bundle add column last_order_at timestamp with time zone;
-- the ERP's batch id: batchSize counts the batch's orders across all its payers' bundles
alter table bundle add column batch_id varchar(300);
create unique index bundle_open_key_idx on bundle (open_key);
-- "sca": "always" on an order: never through the exemption flow.
alter table payment_order add column sca_always boolean default false not null;
create index payment_order_batch_idx on payment_order (batch_id);
