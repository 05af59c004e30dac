-- Where each order is, in a table of its own: the columns the stages change (about ten times per
-- order) apart from the order as received, which is now written once and never changed. H2
-- rewrites every index of a table on each UPDATE of a row (Table.updateRows), and payment_order's
-- rows are wide and keyed by the ERP's order ids — random UUIDs in many ERPs — so each state change
-- rewrote the primary key's page at a random place and pages full of payee names and messages.
-- order_progress is narrow and keyed by a number given in arrival order, so a round's changes fall
-- on few pages; on PostgreSQL an update copies a narrow row, not the whole order.
create sequence payment_order_seq;
alter table payment_order add column order_seq bigint;
-- Orders stored before this version are numbered below zero in order_id order (so a file bundle's
-- report cursor, kept by order_id until now, converts exactly); new orders count up from 1.
create table order_seq_map (
    order_id           varchar(64)   primary key,
    order_seq          bigint        not null
);
insert into order_seq_map (order_id, order_seq)
    select order_id, row_number() over (order by order_id) - (select count(*) from payment_order) - 1 from payment_order;
update payment_order set order_seq = (select m.order_seq from order_seq_map m where m.order_id = payment_order.order_id);
drop table order_seq_map;
alter table payment_order alter column order_seq set default nextval('payment_order_seq');
alter table payment_order alter column order_seq set not null;
alter table payment_order add constraint payment_order_seq_key unique (order_seq);

create table order_progress (
    order_seq            bigint        primary key references payment_order (order_seq),
    bundle_id            varchar(64)   references bundle (bundle_id),
    state                varchar(32)   not null,
    -- sent as x-idempotency-key; a new one with each new payment of the order (issued_idempotency_key)
    idempotency_key      varchar(100)  not null,
    generation           integer       default 0 not null,
    payment_id           varchar(64),
    authorization_id     varchar(64),
    submission_id        varchar(64),
    submission_state     varchar(16),
    bank_status          varchar(32),
    reason               varchar(2000),
    next_check_at        timestamp with time zone,
    check_count          integer       default 0 not null,
    trouble_since        timestamp with time zone,
    exemption_counted_at timestamp with time zone,
    access_token         varchar(4000),
    updated_at           timestamp with time zone not null
);
insert into order_progress (order_seq, bundle_id, state, idempotency_key, generation, payment_id, authorization_id,
        submission_id, submission_state, bank_status, reason, next_check_at, check_count, trouble_since,
        exemption_counted_at, access_token, updated_at)
    select order_seq, bundle_id, state, idempotency_key, generation, payment_id, authorization_id, submission_id,
        submission_state, bank_status, reason, next_check_at, check_count, trouble_since, exemption_counted_at,
        access_token, updated_at from payment_order;
create index order_progress_state_idx on order_progress (state, next_check_at);
-- a bundle's orders in one state, in arrival order: a closing bundle's chunks, the stages' rounds
create index order_progress_bundle_state_idx on order_progress (bundle_id, state, order_seq);

-- How far a closing file bundle has reported its orders BUNDLED, now by order_seq.
alter table bundle add column reported_seq bigint;
update bundle set reported_seq = (select max(o.order_seq) from payment_order o
        where o.bundle_id = bundle.bundle_id and o.order_id <= bundle.reported_through)
    where reported_through is not null;
alter table bundle drop column reported_through;

drop index payment_order_state_idx;
drop index payment_order_bundle_state_idx;
alter table payment_order drop column bundle_id;
alter table payment_order drop column state;
alter table payment_order drop column idempotency_key;
alter table payment_order drop column generation;
alter table payment_order drop column payment_id;
alter table payment_order drop column authorization_id;
alter table payment_order drop column submission_id;
alter table payment_order drop column submission_state;
alter table payment_order drop column bank_status;
alter table payment_order drop column reason;
alter table payment_order drop column next_check_at;
alter table payment_order drop column check_count;
alter table payment_order drop column trouble_since;
alter table payment_order drop column exemption_counted_at;
alter table payment_order drop column access_token;
alter table payment_order drop column updated_at;
