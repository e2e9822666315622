package app.secondheart.core

import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.suspendCancellableCoroutine
import uniffi.second_heart.ModelListener
import uniffi.second_heart.ModelRequest
import uniffi.second_heart.ModelResult
import uniffi.second_heart.PumpModel
import uniffi.second_heart.SecondHeartException

/**
 * Runs [request] on the library's threads and returns its result.
 * Cancelling the calling coroutine cancels the run through its task
 * handle: the core stops at its next progress check instead of running an
 * outdated request to its end. The model may be closed once this has
 * started: the run holds what it needs.
 */
suspend fun PumpModel.compute(request: ModelRequest): ModelResult =
    suspendCancellableCoroutine { continuation ->
        val listener = object : ModelListener {
            override fun onProgress(fraction: Double) {}

            override fun onFinished(result: ModelResult) {
                if (continuation.isActive) continuation.resume(result)
            }

            override fun onFailed(error: SecondHeartException) {
                if (continuation.isActive) continuation.resumeWithException(error)
            }
        }
        val handle = try {
            start(request, listener)
        } catch (e: SecondHeartException) {
            continuation.resumeWithException(e)
            return@suspendCancellableCoroutine
        }
        continuation.invokeOnCancellation { handle.cancel() }
    }
