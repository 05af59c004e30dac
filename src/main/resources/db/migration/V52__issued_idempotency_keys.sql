-- Every x-idempotency-key given to an order (a new one with each new payment of it), never given
-- to another: a key stays unique for good, not only while an order holds it. The order's current
-- key stays in payment_order, no longer under a unique index there: H2 rewrites every index of a
-- row on each update, and a unique index over random hashes made each of an order's state changes
-- write a page of its own (about a third of the store's work per order in a test of the engine's
-- writes). Here a key is written once.
create table issued_idempotency_key (
    idempotency_key    varchar(100)  primary key,
    order_id           varchar(64)   not null,
    issued_at          timestamp with time zone not null
);
insert into issued_idempotency_key (idempotency_key, order_id, issued_at)
    select idempotency_key, order_id, updated_at from payment_order;

-- The unique constraint's name is generated (H2) or derived (PostgreSQL): the column is replaced.
alter table payment_order add column current_key varchar(100);
update payment_order set current_key = idempotency_key;
alter table payment_order drop column idempotency_key;
alter table payment_order rename column current_key to idempotency_key;
alter table payment_order alter column idempotency_key set not null;
