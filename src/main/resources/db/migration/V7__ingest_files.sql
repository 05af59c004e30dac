-- ERP batch files. One row per input file name: a name is ingested once; a file cut off by a
-- crash is resumed after its last stored line. Lines that became no order (bad input, or an
-- orderId seen before) are kept per line for the file's status report; the lines that became
-- orders are payment_order rows with source_file and source_line.
create table ingest_file (
    file_name          varchar(500)  primary key,
    -- READING, READ (every line stored, bundles closed), FINAL (every line final, last report written)
    state              varchar(16)   not null,
    lines_read         integer       not null default 0,
    accepted           integer       not null default 0,
    rejected           integer       not null default 0,
    -- when the report was last written; the report is rewritten when anything changed since
    reported_at        timestamp with time zone,
    changed_at         timestamp with time zone not null,
    created_at         timestamp with time zone not null
);

create table ingest_line (
    file_name          varchar(500)  not null references ingest_file (file_name),
    line_no            integer       not null,
    order_id           varchar(64),
    state              varchar(32)   not null,
    reason             varchar(2000),
    primary key (file_name, line_no)
);

create index payment_order_source_idx on payment_order (source_file, source_line);

-- One row: the instance holding its lock (for the length of one poll of the inbox) is the only one
-- listing and reading batch files, so two instances never read the same file at once. A lock ends
-- with its connection, so a crashed instance does not hold it.
create table inbox_reader (
    id                 integer       primary key
);
insert into inbox_reader (id) values (1);
