/**
 * The local stack's infrastructure, in one JVM and without Docker: {@link
 * io.stagetune.localstack.infrastructure.EmbeddedKafka} (an Apache Kafka KRaft node), {@link
 * io.stagetune.localstack.infrastructure.EmbeddedS3} (S3Proxy on local disk), both together as {@link
 * io.stagetune.localstack.infrastructure.LocalInfrastructure}, and {@link
 * io.stagetune.localstack.infrastructure.ServiceProcess}, which runs a service's packaged build as a process.
 * <p>
 * The {@code pipeline} CLI and the test harness ({@code test-support}) use it; services never carry it at run time.
 */
package io.stagetune.localstack.infrastructure;
