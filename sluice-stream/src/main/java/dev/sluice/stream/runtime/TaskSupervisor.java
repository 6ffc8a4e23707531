package dev.sluice.stream.runtime;

/** Told when a task dies of an error it cannot handle; the run then stops and reports it. */
interface TaskSupervisor {
    void failed(String task, Throwable error);
}
