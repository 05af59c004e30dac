-- ISO 20022 pain.001 files, beside their ingest_file row: what their pain.002 status report
-- refers back to. The file's transactions are numbered 1..n in file order (the ingest "line" of
-- payment_order.source_line and ingest_line.line_no).
create table pain_file (
    file_name          varchar(500)  primary key references ingest_file (file_name),
    -- the group header's MsgId: a file is taken once per MsgId, whatever its name
    msg_id             varchar(35)   not null unique,
    -- pain.001.001.03 or pain.001.001.09 (its report is pain.002.001.03 or .10)
    version            varchar(16)   not null,
    cre_dt_tm          varchar(40)   not null,
    nb_of_txs          integer       not null,
    ctrl_sum           varchar(40)
);

-- Each payment information block (one debtor account, one bundle, one SCA).
create table pain_payment_info (
    file_name          varchar(500)  not null references pain_file (file_name),
    pmt_inf_no         integer       not null,
    pmt_inf_id         varchar(35)   not null,
    primary key (file_name, pmt_inf_no)
);

-- Each transaction's references, and the ISO reason code of a transaction refused at intake.
create table pain_transaction (
    file_name          varchar(500)  not null references pain_file (file_name),
    line_no            integer       not null,
    pmt_inf_no         integer       not null,
    instr_id           varchar(35),
    end_to_end_id      varchar(35)   not null,
    reason_code        varchar(4),
    primary key (file_name, line_no)
);
