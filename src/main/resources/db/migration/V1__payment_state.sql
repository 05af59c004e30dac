-- PIS Bridge state. Portable SQL: runs unchanged on the embedded H2 file (MODE=PostgreSQL,
-- DATABASE_TO_LOWER=TRUE) and on PostgreSQL. Money is numeric(15,2), never floating point.

-- One authorization at the bank: the payments one person approves with one SCA.
create table bundle (
    bundle_id          varchar(64)   primary key,
    -- what groups orders into this bundle: JMS batchId, file name, or the per-payer window
    batch_key          varchar(300)  not null,
    payer_iban         varchar(34)   not null,
    state              varchar(32)   not null,
    expected_count     integer,
    authorization_id   varchar(64),
    -- request-object state and nonce; sca_state is what the callback is correlated by
    sca_state          varchar(128)  unique,
    sca_nonce          varchar(128),
    -- hash of the browser-binding cookie set by /sca/{bundleId}
    browser_binding    varchar(128),
    sca_deadline       timestamp with time zone,
    reason             varchar(2000),
    created_at         timestamp with time zone not null,
    updated_at         timestamp with time zone not null
);
create index bundle_state_idx on bundle (state);

-- One order from the ERP, from JMS or one CSV line, and the payment made for it.
create table payment_order (
    order_id           varchar(64)   primary key,
    bundle_id          varchar(64)   references bundle (bundle_id),
    batch_id           varchar(300),
    source             varchar(16)   not null,
    source_file        varchar(500),
    source_line        integer,
    payer_iban         varchar(34)   not null,
    payee_iban         varchar(34)   not null,
    payee_name         varchar(70)   not null,
    amount_eur         numeric(15,2) not null,
    message            varchar(140),
    reference          varchar(35),
    state              varchar(32)   not null,
    -- sent as x-idempotency-key; derived from the order id and stored before the POST
    idempotency_key    varchar(100)  not null unique,
    payment_id         varchar(64),
    authorization_id   varchar(64),
    -- generated and stored before the PUT, so a retry or a restart reuses it
    submission_id      varchar(64),
    bank_status        varchar(32),
    reason             varchar(2000),
    next_check_at      timestamp with time zone,
    check_count        integer       not null default 0,
    created_at         timestamp with time zone not null,
    updated_at         timestamp with time zone not null
);
create index payment_order_bundle_idx on payment_order (bundle_id);
create index payment_order_state_idx on payment_order (state, next_check_at);

-- A payer's grant from an earlier SCA, for the exemption flow. The refresh token is encrypted.
create table payer_grant (
    payer_iban         varchar(34)   primary key,
    refresh_token      varchar(4000) not null,
    refresh_expires_at timestamp with time zone not null,
    sca_at             timestamp with time zone not null,
    exemption_count    integer       not null default 0,
    exemption_total    numeric(15,2) not null default 0,
    updated_at         timestamp with time zone not null
);

-- Camel's JDBC idempotent repository (files taken, messages seen), shared by all instances.
create table camel_messageprocessed (
    processorname      varchar(255)  not null,
    messageid          varchar(512)  not null,
    createdat          timestamp     not null,
    primary key (processorname, messageid)
);
