-- The first impression of each (environment, flag, key) per treatment: when and with which label.
-- Maintained in the same transaction as the impressions it summarises (IngestService), so it is
-- never behind them; analysis starts from here instead of scanning raw impressions.
CREATE TABLE exposures (
    environment_id BIGINT      NOT NULL,
    flag           TEXT        NOT NULL,
    key            TEXT        NOT NULL,
    treatment      TEXT        NOT NULL,
    first_seen     TIMESTAMPTZ NOT NULL,
    first_label    TEXT        NOT NULL,
    PRIMARY KEY (environment_id, flag, key, treatment)
);
