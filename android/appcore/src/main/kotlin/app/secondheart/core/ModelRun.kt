package app.secondheart.core

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import uniffi.second_heart.ModelListener
import uniffi.second_heart.ModelRequest
import uniffi.second_heart.ModelResult
import uniffi.second_heart.PumpModel
import uniffi.second_heart.SecondHeartException

/**
 * Runs [request] on the library's threads and returns its result;
 * [onProgress] hears the fraction done (on the library's threads).
 * Cancelling the calling coroutine cancels the run through its task
 * handle, and returns once the core has stopped it (at its next progress
 * check), so a newer run never overlaps an outdated one still working. The
 * model may be closed once this has started: the run holds what it needs.
 */
suspend fun PumpModel.compute(request: ModelRequest, onProgress: (Double) -> Unit = {}): ModelResult {
    val ended = CompletableDeferred<Result<ModelResult>>()
    val listener = object : ModelListener {
        override fun onProgress(fraction: Double) = onProgress(fraction)

        override fun onFinished(result: ModelResult) {
            ended.complete(Result.success(result))
        }

        override fun onFailed(error: SecondHeartException) {
            ended.complete(Result.failure(error))
        }
    }
    val handle = start(request, listener)
    try {
        return ended.await().getOrThrow()
    } catch (e: CancellationException) {
        handle.cancel()
        withContext(NonCancellable) { ended.await() }
        throw e
    } finally {
        handle.close()
    }
}
