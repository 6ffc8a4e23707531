package dev.sluice.stream.spec;

/**
 * One processing step as written: its kind ({@code parse}, {@code filter}, ...) and its argument, which is a string,
 * a number, a list or a map depending on the kind.
 */
public record StepSpec(String kind, Object argument, Location location) {}
