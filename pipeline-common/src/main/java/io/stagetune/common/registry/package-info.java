/**
 * The model registry's REST contract (request and view records), shared by the registry and its clients (the
 * evaluator, the CLI), so that both sides read and write the same JSON.
 */
package io.stagetune.common.registry;
