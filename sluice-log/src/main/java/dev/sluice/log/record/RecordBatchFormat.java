package dev.sluice.log.record;

/**
 * The on-disk and on-wire layout of a record batch: Apache Kafka's public "magic v2" format, so that a Kafka-protocol
 * listener can serve a fetch straight from a segment file.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                       baseOffset (int64)                      |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |   batchLength (int32): bytes after this field                 |  8
 *  +---------------------------------------------------------------+
 *  |   partitionLeaderEpoch (int32)                                | 12
 *  +---------------+-----------------------------------------------+
 *  | magic (int8)=2|  crc (uint32, CRC-32C of bytes 21..end)       | 16
 *  +---------------+---------------+-------------------------------+
 *  |               | attributes (int16)                            | 20
 *  +---------------+-------------------------------+---------------+
 *  |   lastOffsetDelta (int32)                     |               | 23
 *  +-----------------------------------------------+               |
 *  |   baseTimestamp (int64)  |  maxTimestamp (int64)              | 27, 35
 *  |   producerId (int64)     |  producerEpoch (int16)             | 43, 51
 *  |   baseSequence (int32)   |  recordCount (int32)               | 53, 57
 *  +---------------------------------------------------------------+
 *  |   records ...                                                 | 61
 *  +---------------------------------------------------------------+
 *
 *  attributes: bits 0-2 compression (0 = none), bit 3 timestamp type (0 = create time),
 *              bit 4 transactional, bit 5 control batch, bit 6 baseTimestamp holds the delete horizon.
 *
 *  record:  length varint | attributes int8 | timestampDelta varlong | offsetDelta varint
 *           | keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value
 *           | headerCount varint | headers: keyLength varint, key (UTF-8), valueLength varint, value
 * </pre>
 *
 * <p>Varints are zig-zag encoded, as in Protocol Buffers' {@code sint32}/{@code sint64}. The CRC covers everything from
 * the attributes to the end of the batch, so assigning a base offset never changes it.
 */
public final class RecordBatchFormat {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Bytes before {@code batchLength} counts: base offset and the length itself. */
    public static final int LOG_OVERHEAD = 12;
    /** Size of a batch with no records. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;

    public static final byte MAGIC = 2;
    public static final short COMPRESSION_MASK = 0x07;
    public static final short TIMESTAMP_TYPE_MASK = 0x08;
    public static final short TRANSACTIONAL_MASK = 0x10;
    public static final short CONTROL_MASK = 0x20;
    public static final short DELETE_HORIZON_MASK = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;

    private RecordBatchFormat() {}
}
