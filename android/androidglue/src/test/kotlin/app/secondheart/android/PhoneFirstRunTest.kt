package app.secondheart.android

import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.RuntimeEnvironment
import org.robolectric.annotation.Config

@RunWith(RobolectricTestRunner::class)
@Config(sdk = [34])
class PhoneFirstRunTest {
    @Test
    fun `a new install shows the welcome, and once set up the app opens on Today from then on`() {
        val app = RuntimeEnvironment.getApplication()
        assertFalse("a new install", PhoneFirstRun(app).done())
        PhoneFirstRun(app).markDone()
        assertTrue("the next launch", PhoneFirstRun(app).done())
    }
}
