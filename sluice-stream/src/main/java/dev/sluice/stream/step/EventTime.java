package dev.sluice.stream.step;

import dev.sluice.stream.StreamRecord;

/** Where a step reads an event's time: a field in any form {@link Timestamps} reads, or the event timestamp. */
record EventTime(FieldPath field, String step) {
    /** @param field the field, or null for the event timestamp */
    EventTime {}

    /**
     * @throws StepException if the field holds no timestamp (the event goes to the dead-letter topic)
     */
    long of(StreamRecord record) {
        if (field == null) {
            return record.timestamp();
        }
        try {
            return Timestamps.parse(field.get(record.fields())).toEpochMilli();
        } catch (StepException e) {
            throw new StepException(step + " time field '" + field + "': " + e.getMessage());
        }
    }
}
